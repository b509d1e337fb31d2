using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Hosting;

/// <summary>The embedded node broker. Section "Broker".</summary>
public sealed class BrokerOptions
{
    public const string Section = "Broker";

    /// <summary>
    /// Plain MQTT port, opened only when <see cref="AllowPlaintext"/> is set (a lab bench): on the commune Wi-Fi a
    /// node's password would travel in clear.
    /// </summary>
    [Range(0, 65535)]
    public int Port { get; set; } = EdgeSensors.Node.Protocol.MqttPorts.Plain;

    /// <summary>Also listen without TLS on <see cref="Port"/>. Off by default; for a lab only.</summary>
    public bool AllowPlaintext { get; set; }

    /// <summary>Address to listen on, IPv4 or IPv6 (0.0.0.0: every address of both families; a specific address: only that one).</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>TLS port, always open: the gateway's own certificate ({DataDirectory}/tls) unless one is configured.</summary>
    [Range(1, 65535)]
    public int TlsPort { get; set; } = EdgeSensors.Node.Protocol.MqttPorts.Tls;

    /// <summary>Seconds a new connection has to complete its CONNECT before it is dropped.</summary>
    [Range(1, 60)]
    public int ConnectTimeoutSeconds { get; set; } = 5;

    /// <summary>PKCS#12 certificate for the TLS listener (optional: the gateway's own otherwise).</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Largest telemetry payload accepted, bytes (protocol v1: 8192).</summary>
    [Range(256, 1048576)]
    public int MaxPayloadBytes { get; set; } = 8192;

    /// <summary>A synced sample more than this far ahead of the gateway's clock is kept at the receive time and flagged ts_implausible, s.</summary>
    [Range(10, 86400)]
    public long MaxFutureSkewSeconds { get; set; } = EdgeSensors.Node.Protocol.SampleTimes.MaxFutureSkewSeconds;

    /// <summary>…as is one dated before this (unix s; default 2024-01-01, before any node existed).</summary>
    [Range(0, long.MaxValue)]
    public long EarliestPlausibleTs { get; set; } = EdgeSensors.Node.Protocol.SampleTimes.EarliestPlausibleTs;

    /// <summary>Failed connects from one address as one client id within 10 minutes before a ban (four times as many across client ids ban the address for those ids).</summary>
    [Range(2, 1000)]
    public int BanAfterFailures { get; set; } = 5;

    /// <summary>First ban, s; each further ban of the same key doubles it, up to 6 hours.</summary>
    [Range(1, 86400)]
    public int BanFirstSeconds { get; set; } = 60;

    /// <summary>Most node connections open at once, on the node ports together (logged-in or not).</summary>
    [Range(1, 100000)]
    public int MaxConnections { get; set; } = 2000;

    /// <summary>
    /// Most node connections open at once from one address: a new one beyond it is closed, and the nodes already
    /// connected keep their sessions. Nodes on the commune Wi-Fi each have their own address; raise it for many nodes
    /// behind one NAT, or for an emulated fleet run from one machine.
    /// </summary>
    [Range(1, 100000)]
    public int MaxConnectionsPerAddress { get; set; } = 500;
}
