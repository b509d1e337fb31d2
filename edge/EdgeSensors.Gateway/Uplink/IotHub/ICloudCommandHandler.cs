namespace EdgeSensors.Gateway.Uplink.IotHub;

/// <summary>What became of a cloud-to-device command.</summary>
public sealed record CloudCommandResult(bool Applied, string Detail);

/// <summary>Applies a cloud-to-device message (its application properties and body) or refuses it with a reason.</summary>
public interface ICloudCommandHandler
{
    Task<CloudCommandResult> HandleAsync(IReadOnlyDictionary<string, string> properties, ReadOnlyMemory<byte> body, CancellationToken ct);
}
