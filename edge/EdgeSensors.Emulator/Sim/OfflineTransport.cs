using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Emulator.Sim;

/// <summary>No gateway at all (offline runs: the node samples into its outbox and backs off), fully deterministic.</summary>
public sealed class OfflineTransport : INodeTransport
{
    private bool _tried;

    public TransportState State => _tried ? TransportState.Failed : TransportState.Disconnected;

    public void BeginConnect(ConnectRequest request) => _tried = true;

    public int Publish(string topic, byte[] payload, bool retain) => -1;

    public PublishState GetPublishState(int token) => PublishState.Failed;

    public byte[]? TakeConfigMessage() => null;

    public void Disconnect() => _tried = false;
}
