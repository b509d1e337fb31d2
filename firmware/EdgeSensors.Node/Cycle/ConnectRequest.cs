namespace EdgeSensors.Node.Cycle;

/// <summary>What the transport needs to connect: credentials, last will, and the config topic to subscribe to.</summary>
public sealed class ConnectRequest
{
    /// <summary>Creates a request.</summary>
    public ConnectRequest(string host, int port, bool tls, string clientId, string username, string password, string willTopic, byte[] willPayload, string configTopic)
    {
        Host = host;
        Port = port;
        Tls = tls;
        ClientId = clientId;
        Username = username;
        Password = password;
        WillTopic = willTopic;
        WillPayload = willPayload;
        ConfigTopic = configTopic;
    }

    /// <summary>Gateway host.</summary>
    public string Host { get; }

    /// <summary>Gateway port.</summary>
    public int Port { get; }

    /// <summary>Use TLS.</summary>
    public bool Tls { get; }

    /// <summary>The gateway CA's certificate (PEM) the node trusts for TLS, or null.</summary>
    public string? CaPem { get; set; }

    /// <summary>MQTT client id (the node id).</summary>
    public string ClientId { get; }

    /// <summary>MQTT username (the node id).</summary>
    public string Username { get; }

    /// <summary>MQTT password.</summary>
    public string Password { get; }

    /// <summary>Last-will topic (the status topic), published retained at QoS 1.</summary>
    public string WillTopic { get; }

    /// <summary>Last-will payload (offline status).</summary>
    public byte[] WillPayload { get; }

    /// <summary>Retained config topic to subscribe to at QoS 1.</summary>
    public string ConfigTopic { get; }
}
