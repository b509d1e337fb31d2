namespace EdgeSensors.Gateway.UseCases;

/// <summary>Where a node's accepted config goes: stored with its revision and sent as the node's retained config topic.</summary>
public interface INodeConfigPublisher
{
    Task PublishConfigAsync(string node, string json, long revision, CancellationToken ct);
}
