using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Options;

/// <summary>The uplink to the IOC's MQTT broker. Section "Uplink". Without a Host, nothing is forwarded and everything stays local.</summary>
public sealed class UplinkOptions
{
    public const string Section = "Uplink";

    /// <summary>IOC broker host; empty = no uplink.</summary>
    public string? Host { get; set; }

    [Range(1, 65535)]
    public int Port { get; set; } = 1883;

    /// <summary>Use TLS.</summary>
    public bool Tls { get; set; }

    /// <summary>PEM file of the CA that signs the IOC broker's certificate (optional; the system store otherwise).</summary>
    public string? CaCertificatePath { get; set; }

    /// <summary>SHA-256 fingerprint (hex) of the IOC broker's certificate, to pin it (optional).</summary>
    public string? PinnedCertificateSha256 { get; set; }

    /// <summary>PKCS#12 client certificate (optional).</summary>
    public string? ClientCertificatePath { get; set; }

    public string? ClientCertificatePassword { get; set; }

    public string? Username { get; set; }

    public string? Password { get; set; }

    /// <summary>A file holding the uplink password (systemd credentials, a secrets mount): secrets never need the command line.</summary>
    public string? PasswordFile { get; set; }

    /// <summary>Send the username and password without TLS. Off: the gateway refuses to start so configured (lab use only).</summary>
    public bool AllowPlaintextCredentials { get; set; }

    /// <summary>The password, from <see cref="Password"/> or <see cref="PasswordFile"/>.</summary>
    public string? EffectivePassword => !string.IsNullOrEmpty(Password) ? Password
        : PasswordFile is { Length: > 0 } f && File.Exists(f) ? File.ReadAllText(f).Trim() : null;

    /// <summary>True when credentials would travel in clear.</summary>
    public bool CredentialsInClear => Enabled && !Tls && (!string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(PasswordFile));

    /// <summary>MQTT client id at the IOC (default: edgesensors-{site}).</summary>
    public string? ClientId { get; set; }

    /// <summary>
    /// Readings payload: v1 (protocol v1 JSON, docs/protocol.md, the default) or senml (RFC 8428 SenML JSON, for IOC
    /// platforms that speak it; alerts and gap records stay v1).
    /// </summary>
    [RegularExpression("^(v1|senml)$", ErrorMessage = "Uplink:Payload is v1 or senml")]
    public string Payload { get; set; } = "v1";

    /// <summary>MQTT version: 5 or 3 (3.1.1).</summary>
    [Range(3, 5)]
    public int ProtocolVersion { get; set; } = 5;

    /// <summary>Telemetry topic template; {site} and {node} are replaced.</summary>
    [Required]
    public string TelemetryTopic { get; set; } = "ioc/{site}/{node}/telemetry";

    [Required]
    public string AlertsTopic { get; set; } = "ioc/{site}/alerts";

    [Required]
    public string GapsTopic { get; set; } = "ioc/{site}/gaps";

    /// <summary>Retained "latest reading" topic, sent through the priority lane while a backlog drains; {site}, {node}.</summary>
    [Required]
    public string LatestTopic { get; set; } = "ioc/{site}/{node}/latest";

    /// <summary>QoS 1 messages in flight at once (the most a crash can make the IOC receive twice).</summary>
    [Range(1, 1000)]
    public int InFlightWindow { get; set; } = 8;

    /// <summary>While the oldest reading waiting for the IOC is at least this old, s, each node's newest reading also goes ahead on the retained "latest" topic.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86400)]
    public int LatestLaneBacklogSeconds { get; set; } = 300;

    /// <summary>…at most once per node per this many seconds.</summary>
    [System.ComponentModel.DataAnnotations.Range(1, 86400)]
    public int LatestLaneIntervalSeconds { get; set; } = 60;

    /// <summary>
    /// While live readings leave about one per message, wait this long, ms, before taking the next batch so that each
    /// node's readings leave together (fewer IOC messages and PUBACK round trips). Alerts and gap records never wait
    /// for it; a backlog being drained (full messages) does not either. 0: off.
    /// </summary>
    [Range(0, 1000)]
    public int LingerMs { get; set; } = 20;

    /// <summary>Most readings per uplink message when draining a backlog.</summary>
    [Range(1, 10000)]
    public int MaxReadingsPerMessage { get; set; } = 200;

    /// <summary>First reconnect delay, ms; doubles to <see cref="ReconnectMaxMs"/>, with jitter.</summary>
    [Range(10, 600000)]
    public int ReconnectBaseMs { get; set; } = 1000;

    [Range(100, 3600000)]
    public int ReconnectMaxMs { get; set; } = 60000;

    public bool Enabled => !string.IsNullOrWhiteSpace(Host);
}
