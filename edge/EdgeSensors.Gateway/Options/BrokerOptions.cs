using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Options;

/// <summary>The embedded node broker. Section "Broker".</summary>
public sealed class BrokerOptions
{
    public const string Section = "Broker";

    /// <summary>Plain MQTT port (0 disables the plain listener).</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Address to listen on (0.0.0.0: the commune Wi-Fi).</summary>
    [Required]
    public string BindAddress { get; set; } = "0.0.0.0";

    /// <summary>TLS port (used only when a certificate is configured).</summary>
    [Range(1, 65535)]
    public int TlsPort { get; set; } = 8883;

    /// <summary>PKCS#12 certificate for the TLS listener (optional).</summary>
    public string? TlsCertificatePath { get; set; }

    /// <summary>Password of the PKCS#12 file.</summary>
    public string? TlsCertificatePassword { get; set; }

    /// <summary>Largest telemetry payload accepted, bytes (protocol v1: 8192).</summary>
    [Range(256, 1048576)]
    public int MaxPayloadBytes { get; set; } = 8192;

    /// <summary>Most nodes connected at once.</summary>
    [Range(1, 100000)]
    public int MaxConnections { get; set; } = 2000;
}
