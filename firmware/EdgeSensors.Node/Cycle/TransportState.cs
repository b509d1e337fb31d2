namespace EdgeSensors.Node.Cycle;

/// <summary>Connection state of the node's MQTT transport.</summary>
public enum TransportState
{
    /// <summary>Not connected, nothing in progress.</summary>
    Disconnected = 0,

    /// <summary>Wi-Fi and MQTT connection in progress.</summary>
    Connecting = 1,

    /// <summary>Connected and subscribed to the config topic.</summary>
    Connected = 2,

    /// <summary>The last attempt failed (Wi-Fi, broker unreachable, refused credentials).</summary>
    Failed = 3,
}
