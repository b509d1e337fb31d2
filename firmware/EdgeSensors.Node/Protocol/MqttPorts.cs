namespace EdgeSensors.Node.Protocol;

/// <summary>
/// The node broker's ports: one home for the gateway's listeners, the CLI's node.json and its doctor (issue 30:
/// `doctor` checked 1883, which a production gateway no longer opens).
/// </summary>
public static class MqttPorts
{
    /// <summary>MQTT over TLS (IANA "secure-mqtt"): what every node uses by default.</summary>
    public const int Tls = 8883;

    /// <summary>Plain MQTT: lab benches only (Broker:AllowPlaintext).</summary>
    public const int Plain = 1883;
}
