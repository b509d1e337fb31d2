namespace EdgeSensors.Gateway.UseCases;

/// <summary>The broker's side of node administration: a removed node or an old password is cut off at once.</summary>
public interface INodeSessions
{
    Task DisconnectAsync(string node);
}
