using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Ioc.Ingest.Options;

/// <summary>
/// Section "Ingest". The embedded default subscribes to a local MQTT broker and writes SQLite in ./ingest-data, so one
/// command runs it on one machine; production sets Source=rabbitmq and Store:Kind=postgres (docs/ioc-ingest.md).
/// </summary>
public sealed class IngestOptions
{
    public const string Section = "Ingest";

    /// <summary>mqtt (a shared subscription on any MQTT 5 broker) or rabbitmq (a quorum queue over AMQP 0-9-1).</summary>
    [RegularExpression("^(mqtt|rabbitmq)$", ErrorMessage = "Ingest:Source is mqtt or rabbitmq")]
    public string Source { get; set; } = "mqtt";

    /// <summary>Name of this instance in logs, metrics and the parked list (default: host name and process id).</summary>
    public string? InstanceName { get; set; }

    /// <summary>Most messages committed in one database transaction.</summary>
    [Range(1, 10000, ErrorMessage = "Ingest:BatchMaxMessages is 1 … 10000")]
    public int BatchMaxMessages { get; set; } = 200;

    /// <summary>How long a batch waits for more messages, ms.</summary>
    [Range(0, 5000, ErrorMessage = "Ingest:BatchMaxDelayMs is 0 … 5000")]
    public int BatchMaxDelayMs { get; set; } = 20;

    /// <summary>A message bigger than this is parked, not parsed (the gateway's own messages are at most a few hundred KB).</summary>
    [Range(1024, 64 * 1024 * 1024, ErrorMessage = "Ingest:MaxMessageBytes is 1 KiB … 64 MiB")]
    public int MaxMessageBytes { get; set; } = 1024 * 1024;

    /// <summary>A reading or record older than this is parked, not stored (nor does it open a partition), days.</summary>
    [Range(1, 3650, ErrorMessage = "Ingest:MaxAgeDays is 1 … 3650")]
    public int MaxAgeDays { get; set; } = 400;

    /// <summary>…and one further ahead of the ingest's clock than this, s.</summary>
    [Range(0, 86400, ErrorMessage = "Ingest:MaxFutureSeconds is 0 … 86400")]
    public int MaxFutureSeconds { get; set; } = 3600;

    /// <summary>
    /// How long after a gateway's forwarded high-water mark arrived its readings must all be here before what is not is
    /// counted missing, s (they travel the same queue ahead of it; several instances commit in parallel).
    /// </summary>
    [Range(0, 86400, ErrorMessage = "Ingest:MarkGraceSeconds is 0 … 86400")]
    public int MarkGraceSeconds { get; set; } = 60;

    /// <summary>Parked messages are kept this long for inspection, then deleted (counted in /metrics either way), days.</summary>
    [Range(1, 3650, ErrorMessage = "Ingest:ParkedRetentionDays is 1 … 3650")]
    public int ParkedRetentionDays { get; set; } = 30;

    public MqttSourceOptions Mqtt { get; set; } = new();

    /// <summary>Section "Ingest:Api".</summary>
    public ApiOptions Api { get; set; } = new();

    public RabbitMqSourceOptions RabbitMq { get; set; } = new();

    public StoreOptions Store { get; set; } = new();

    /// <summary>
    /// The instance's identity (and so its MQTT client id and persistent session): the configured name, else the
    /// machine's name and a hash of where it runs and what it stores into — the same after a restart, so a restarted
    /// instance takes its session (and the messages the broker queued for it) back instead of joining the shared group
    /// as a stranger while the dead session keeps receiving its share (issue 32: a process-id name lost 55 %). Several
    /// instances on one machine into one PostgreSQL must each be given Ingest:InstanceName.
    /// </summary>
    public string EffectiveInstanceName => InstanceName is { Length: > 0 } n ? n
        : $"{Environment.MachineName.ToLowerInvariant()}-{Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Environment.CurrentDirectory + "|" + Store.Kind + "|" + (Store.Kind == "sqlite" ? Path.GetFullPath(Store.SqlitePath) : Store.PostgresConnectionStringFile ?? string.Empty))))[..8].ToLowerInvariant()}";
}

/// <summary>Section "Ingest:Mqtt".</summary>
public sealed class MqttSourceOptions
{
    [Required(ErrorMessage = "Ingest:Mqtt:Host is required")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "Ingest:Mqtt:Port is 1 … 65535")]
    public int Port { get; set; } = 1883;

    public bool Tls { get; set; }

    /// <summary>PEM of the CA that signs the broker's certificate (optional; the system store otherwise).</summary>
    public string? CaCertificatePath { get; set; }

    public string? Username { get; set; }

    public string? PasswordFile { get; set; }

    /// <summary>
    /// Shared subscription group: every instance in it gets a share of the messages ($share/{group}/…). Empty: a plain
    /// subscription (one instance only).
    /// </summary>
    public string ShareGroup { get; set; } = "ingest";

    /// <summary>Topic filters the gateways publish under (docs/uplink.md).</summary>
    public string[] Topics { get; set; } = ["ioc/+/+/telemetry", "ioc/+/alerts", "ioc/+/gaps", "ioc/+/marks"];

    /// <summary>Client id; default ingest-{instance}. A fixed id keeps the persistent session across restarts.</summary>
    public string? ClientId { get; set; }
}

/// <summary>Section "Ingest:RabbitMq".</summary>
public sealed class RabbitMqSourceOptions
{
    [Required(ErrorMessage = "Ingest:RabbitMq:Host is required")]
    public string Host { get; set; } = "127.0.0.1";

    [Range(1, 65535, ErrorMessage = "Ingest:RabbitMq:Port is 1 … 65535")]
    public int Port { get; set; } = 5672;

    /// <summary>More hosts of the cluster (host or host:port), tried in turn when one is down.</summary>
    public string[] MoreHosts { get; set; } = [];

    public string VirtualHost { get; set; } = "/";

    public string Username { get; set; } = "guest";

    public string? PasswordFile { get; set; }

    public string? Password { get; set; }

    public bool Tls { get; set; }

    /// <summary>The durable quorum queue every instance consumes from.</summary>
    [Required(ErrorMessage = "Ingest:RabbitMq:Queue is required")]
    public string Queue { get; set; } = "ioc-ingest";

    /// <summary>The exchange RabbitMQ's MQTT plugin publishes into.</summary>
    public string Exchange { get; set; } = "amq.topic";

    /// <summary>Routing keys bound to the queue (the MQTT plugin turns topic '/' into '.').</summary>
    public string[] Bindings { get; set; } = ["ioc.*.*.telemetry", "ioc.*.alerts", "ioc.*.gaps", "ioc.*.marks"];

    /// <summary>Unacknowledged messages per instance.</summary>
    [Range(1, 65535, ErrorMessage = "Ingest:RabbitMq:Prefetch is 1 … 65535")]
    public int Prefetch { get; set; } = 1000;

    /// <summary>
    /// The quorum queue's delivery limit: a message redelivered this many times (an instance dying on it again and
    /// again) is dropped by RabbitMQ to the dead-letter exchange, if one is configured — a last guard; the ingest parks
    /// bad messages itself long before.
    /// </summary>
    [Range(1, 1000, ErrorMessage = "Ingest:RabbitMq:DeliveryLimit is 1 … 1000")]
    public int DeliveryLimit { get; set; } = 50;

    public string? EffectivePassword => PasswordFile is { Length: > 0 } f && File.Exists(f) ? File.ReadAllText(f).Trim() : Password;
}

/// <summary>Section "Ingest:Store".</summary>
public sealed class StoreOptions
{
    /// <summary>sqlite (embedded, one machine) or postgres.</summary>
    [RegularExpression("^(sqlite|postgres)$", ErrorMessage = "Ingest:Store:Kind is sqlite or postgres")]
    public string Kind { get; set; } = "sqlite";

    public string SqlitePath { get; set; } = "ingest-data/ingest.db";

    /// <summary>Npgsql connection string (a secret when it holds a password: prefer the file).</summary>
    public string? PostgresConnectionString { get; set; }

    public string? PostgresConnectionStringFile { get; set; }

    public string? EffectivePostgres => PostgresConnectionStringFile is { Length: > 0 } f && File.Exists(f) ? File.ReadAllText(f).Trim() : PostgresConnectionString;
}

/// <summary>Section "Ingest:Api": who may read the HTTP API.</summary>
public sealed class ApiOptions
{
    /// <summary>The bearer tokens file ({"operator":…,"dashboard":…}); created with random tokens at the first start. Default: next to the SQLite store, or ./ingest-data/api-tokens.json.</summary>
    public string? TokensFile { get; set; }
}
