using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Options;

/// <summary>
/// The uplink to the IOC. Section "Uplink". <see cref="Kind"/> picks the receiving end: "mqtt" (any standard MQTT
/// broker: Mosquitto, EMQX, RabbitMQ's MQTT plugin) or "iothub" (Azure IoT Hub through its device MQTT interface,
/// options under Uplink:IotHub). Without a Host (mqtt) or a connection string (iothub), nothing is forwarded and
/// everything stays local.
/// </summary>
public sealed class UplinkOptions
{
    public const string Section = "Uplink";

    /// <summary>mqtt (a standard MQTT broker, the default) or iothub (Azure IoT Hub's device MQTT interface).</summary>
    [RegularExpression("^(mqtt|iothub)$", ErrorMessage = "Uplink:Kind is mqtt or iothub")]
    public string Kind { get; set; } = "mqtt";

    /// <summary>Azure IoT Hub settings, used when <see cref="Kind"/> is iothub.</summary>
    public IotHubOptions IotHub { get; set; } = new();

    /// <summary>True for the Azure IoT Hub adapter.</summary>
    public bool IsIotHub => string.Equals(Kind, "iothub", StringComparison.Ordinal);

    /// <summary>
    /// IOC broker host; empty = no uplink. With iothub it may stay empty: the connection string's HostName is used
    /// (set it only to reach the hub through another address, such as a test endpoint or a private link).
    /// </summary>
    public string? Host { get; set; }

    /// <summary>The host connected to: <see cref="Host"/>, or the IoT Hub connection string's HostName.</summary>
    public string? EffectiveHost => !string.IsNullOrWhiteSpace(Host) ? Host
        : IsIotHub ? Uplink.IotHubConnectionString.TryParse(IotHub.EffectiveConnectionString, out _)?.HostName : null;

    /// <summary>Broker port; default 1883, or 8883 with TLS and for IoT Hub.</summary>
    [Range(1, 65535)]
    public int? Port { get; set; }

    /// <summary>The port used: <see cref="Port"/>, or the protocol's default (8883 over TLS, 1883 without).</summary>
    public int EffectivePort => Port ?? (UsesTls ? 8883 : 1883);

    /// <summary>Use TLS (IoT Hub always uses it).</summary>
    public bool Tls { get; set; }

    /// <summary>TLS in use: set, or implied by IoT Hub (which accepts nothing else).</summary>
    public bool UsesTls => Tls || IsIotHub;

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
    public bool CredentialsInClear => Enabled && !UsesTls && (!string.IsNullOrEmpty(Username) || !string.IsNullOrEmpty(Password) || !string.IsNullOrEmpty(PasswordFile));

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

    /// <summary>Forwarded high-water marks (docs/schemas/ioc-marks.schema.json), so the IOC can count readings lost after the last one it stored; {site}.</summary>
    [Required]
    public string MarksTopic { get; set; } = "ioc/{site}/marks";

    /// <summary>How often, s, the marks that moved are sent (0: never). One small message per interval at most.</summary>
    [Range(0, 86400)]
    public int MarksIntervalSeconds { get; set; } = 300;

    /// <summary>Retained "latest reading" topic, sent through the priority lane while a backlog drains; {site}, {node}.</summary>
    [Required]
    public string LatestTopic { get; set; } = "ioc/{site}/{node}/latest";

    /// <summary>
    /// Largest packet the gateway reads from the IOC's broker, bytes (acknowledgements and cloud-to-device commands are
    /// small: IoT Hub's are at most 64 KB). A bigger one cuts the connection before its body is read.
    /// </summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxIncomingPacketBytes { get; set; } = 256 * 1024;

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

    public bool Enabled => IsIotHub ? IotHub.IsConfigured : !string.IsNullOrWhiteSpace(Host);
}

/// <summary>
/// Azure IoT Hub through its documented device MQTT interface (MQTT 3.1.1 over TLS on 8883), section
/// "Uplink:IotHub". One IoT Hub device identity stands for the gateway; each message names its node in a property
/// (docs/uplink.md says why). The device key signs short-lived SAS tokens; it never leaves the gateway.
/// </summary>
public sealed class IotHubOptions
{
    /// <summary>The device connection string: HostName=…;DeviceId=…;SharedAccessKey=… (a secret).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>A file holding the connection string (systemd credentials, a secrets mount): preferred to the value in config.</summary>
    public string? ConnectionStringFile { get; set; }

    /// <summary>
    /// The api-version the device interface is addressed with. 2021-04-12 is the GA version in IoT Hub's MQTT
    /// documentation ("Using the MQTT protocol directly (as a device)").
    /// </summary>
    [RegularExpression("^[0-9]{4}-[0-9]{2}-[0-9]{2}(-preview)?$", ErrorMessage = "Uplink:IotHub:ApiVersion is a date such as 2021-04-12")]
    public string ApiVersion { get; set; } = "2021-04-12";

    /// <summary>Lifetime of each SAS token, s. A new token is signed and the connection renewed after three quarters of it.</summary>
    [Range(30, 7 * 86400, ErrorMessage = "Uplink:IotHub:TokenLifetimeSeconds is 30 s … 7 days")]
    public int TokenLifetimeSeconds { get; set; } = 3600;

    /// <summary>MQTT keep-alive, s. IoT Hub accepts at most 1177 s (about 19.6 minutes).</summary>
    [Range(10, 1177, ErrorMessage = "Uplink:IotHub:KeepAliveSeconds is 10 … 1177 (IoT Hub's maximum)")]
    public int KeepAliveSeconds { get; set; } = 120;

    /// <summary>
    /// Device-to-cloud messages per second, at most. IoT Hub throttles sends per hub (S1: 100/s or 12/s per unit,
    /// whichever is higher) and a province's hub is shared by every commune gateway; readings are batched, so a few
    /// messages per second carry hundreds of readings.
    /// </summary>
    [Range(0.1, 1000, ErrorMessage = "Uplink:IotHub:MaxMessagesPerSecond is 0.1 … 1000")]
    public double MaxMessagesPerSecond { get; set; } = 5;

    /// <summary>Apply cloud-to-device config messages (otherwise each is refused with that reason).</summary>
    public bool AcceptCloudToDevice { get; set; } = true;

    /// <summary>True when a connection string is given one way or the other.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(ConnectionString) || !string.IsNullOrWhiteSpace(ConnectionStringFile);

    /// <summary>The connection string from the file or the value.</summary>
    public string? EffectiveConnectionString => ConnectionStringFile is { Length: > 0 } f
        ? (File.Exists(f) ? File.ReadAllText(f).Trim() : null)
        : ConnectionString;
}
