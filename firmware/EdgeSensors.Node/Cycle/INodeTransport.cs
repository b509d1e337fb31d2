namespace EdgeSensors.Node.Cycle;

/// <summary>
/// The node's MQTT link, non-blocking so one thread can drive many emulated nodes and tests can step it:
/// operations start work and the cycle polls for the outcome. The device adapter wraps nanoFramework.M2Mqtt;
/// the desktop adapter wraps MQTTnet.
/// </summary>
public interface INodeTransport
{
    /// <summary>Current connection state.</summary>
    TransportState State { get; }

    /// <summary>Starts connecting (Wi-Fi if needed, then MQTT with the will, then the config subscription).</summary>
    void BeginConnect(ConnectRequest request);

    /// <summary>Publishes at QoS 1; returns a token to poll, or −1 when it could not even be sent.</summary>
    int Publish(string topic, byte[] payload, bool retain);

    /// <summary>Outcome of a publish.</summary>
    PublishState GetPublishState(int token);

    /// <summary>The next config message received on the config topic, or null.</summary>
    byte[]? TakeConfigMessage();

    /// <summary>Closes the connection (cleanly when possible).</summary>
    void Disconnect();
}
