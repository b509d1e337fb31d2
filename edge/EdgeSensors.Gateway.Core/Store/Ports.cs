namespace EdgeSensors.Gateway.Store;

// The ports of the gateway's core (edgeHub's shape): what the alert engine, the uplink forwarder, the broker and the
// web API need from storage, with no SQL in sight. EdgeSensors.Gateway.Storage.Sqlite implements them; a test or
// another store can too.

/// <summary>Readings as they become durable: the alert engine, the SMS texts, the lamps and the uplink listen.</summary>
public interface IReadingFeed
{
    /// <summary>Raised after a batch is durable (never before: the broker acknowledges only then).</summary>
    event Action<IReadOnlyList<StoredReading>>? Committed;
}

/// <summary>Where the broker puts what nodes sent (issue 29: the store's port split by who uses it).</summary>
public interface IReadingWriter
{
    /// <summary>Stores a batch durably; duplicates by (node, boot, seq) are counted, not stored.</summary>
    Task<CommitResult> StoreAsync(IReadOnlyList<StoredReading> readings, CancellationToken ct);

    /// <summary>
    /// Since when (Unix s) commits fail because the data directory's disk is full; null while they succeed. Nothing
    /// is acknowledged meanwhile (nodes keep their readings); it clears by itself at the first commit that succeeds.
    /// </summary>
    long? DiskFullSince { get; }
}

/// <summary>The readings waiting for the IOC (the backlog) and the uplink's checkpoint.</summary>
public interface IUplinkBacklog
{
    /// <summary>The uplink checkpoint: every reading with an id at or below it reached the IOC.</summary>
    long Cursor { get; }

    /// <summary>Reads pending readings and marks them in flight, so the store budget does not drop what is being sent.</summary>
    Task<IReadOnlyList<StoredReading>> TakePendingAsync(long after, int max, CancellationToken ct);

    /// <summary>What was taken has been acknowledged or has failed; the IOC has everything up to <paramref name="keepThrough"/> that is above the checkpoint (0: nothing).</summary>
    void SettleInFlight(long keepThrough);

    /// <summary>Advances the checkpoint (never backwards) in one statement.</summary>
    Task<int> AdvanceCursorAsync(long through, CancellationToken ct);

    /// <summary>Readings waiting for the IOC and the receive time of the oldest (0 when none).</summary>
    (long Count, long OldestRx) Backlog(string? node = null);

    /// <summary>Receive time of the oldest reading not yet at the IOC (0 when none).</summary>
    long OldestPendingRx();

    /// <summary>The node's newest seq known to be at the IOC.</summary>
    long ForwardedThrough(string node);
}

/// <summary>What the page, the API and the texts read.</summary>
public interface IReadingQueries
{
    /// <summary>A node's newest readings, newest first.</summary>
    IReadOnlyList<StoredReading> Latest(string node, int max);

    /// <summary>Bucketed salinity and level for the farmers' chart.</summary>
    IReadOnlyList<(long Ts, double? SalinityPpt, double? LevelM)> History(string node, long fromTs, long toTs, long bucket);

    /// <summary>The node's water level nearest before <paramref name="ts"/>.</summary>
    double? LevelAt(string node, long ts);
}

/// <summary>The store's readings, all four roles (the SQLite adapter implements it; consumers take the role they use).</summary>
public interface IReadingStore : IReadingFeed, IReadingWriter, IUplinkBacklog, IReadingQueries
{
}

/// <summary>The node directory: registrations and credentials.</summary>
public interface INodeDirectory
{
    Task<string?> AddAsync(string id, double? lat, double? lon, string? place, string? notes, CancellationToken ct);

    Task<string?> RotateSecretAsync(string id, CancellationToken ct);

    Task<bool> RemoveAsync(string id, CancellationToken ct);

    /// <summary>Constant-time check of a node's secret.</summary>
    bool Verify(string id, string? secret);

    NodeRecord? Find(string id);

    IReadOnlyList<NodeRecord> List();

    /// <summary>How many nodes are registered: cheap, asked on every committed batch (the relay's interlock).</summary>
    int Count();

    Task<bool> SetConfigAsync(string id, string json, long revision, CancellationToken ct);
}

/// <summary>Each node's last status document.</summary>
public interface INodeStatusStore
{
    Task<int> SaveAsync(string node, bool online, string payload, long updated, CancellationToken ct);

    (string Payload, long Updated)? Find(string node);
}

/// <summary>Kinds of message in the outbound (priority) lane.</summary>
public static class OutboundKind
{
    public const string Alert = "alert";
    public const string Gap = "gap";
}

/// <summary>The durable priority lane to the IOC: alerts and gap records go before any readings backlog.</summary>
public interface IOutboundLane
{
    /// <summary>Raised when something was queued (wakes the uplink).</summary>
    event Action? Queued;

    Task EnqueueAsync(OutboundRecord record, CancellationToken ct);

    /// <summary>Oldest unsent first.</summary>
    IReadOnlyList<OutboundMessage> Pending(int max);

    Task MarkSentAsync(long id, CancellationToken ct);
}

/// <summary>Alert history and state.</summary>
public interface IAlertStore
{
    Task<Alerts.AlertRecord> ApplyAsync(Alerts.AlertTransition t, string msgVi, string msgEn, CancellationToken ct);

    Task<Alerts.AlertRecord?> AcknowledgeAsync(long id, string by, long ts, CancellationToken ct);

    IReadOnlyList<Alerts.AlertRecord> List(bool activeOnly, int limit, string? node = null);
}

/// <summary>Refused payloads kept for inspection.</summary>
public interface IQuarantine
{
    Task AddAsync(string? client, string topic, string reason, ReadOnlyMemory<byte> payload, CancellationToken ct);

    IReadOnlyList<QuarantinedPayload> List(int max);
}

/// <summary>A named operator account (its token is shown once, at creation, and stored only as a hash).</summary>
public sealed record OperatorAccount(string Name, string Role, long Created, long? Revoked);

/// <summary>Roles of operator accounts.</summary>
public static class OperatorRoles
{
    /// <summary>The bootstrap account (operator.token): everything, including accounts.</summary>
    public const string Admin = "admin";

    /// <summary>Field technician: nodes (add, rotate, remove, config, calibration) and alerts.</summary>
    public const string Technician = "technician";

    /// <summary>Commune or IOC operator: reads, acknowledges alerts.</summary>
    public const string Operator = "operator";

    public static bool IsKnown(string role) => role is Admin or Technician or Operator;
}

/// <summary>Named operator accounts with their own tokens.</summary>
public interface IOperatorAccounts
{
    /// <summary>Creates an account; returns its token (once), or null when the name is taken.</summary>
    Task<string?> AddAsync(string name, string role, CancellationToken ct);

    /// <summary>Revokes an account's token; false when there is no such active account.</summary>
    Task<bool> RevokeAsync(string name, CancellationToken ct);

    IReadOnlyList<OperatorAccount> List();

    /// <summary>The active account whose token this is, or null.</summary>
    OperatorAccount? FindByToken(string token);
}

/// <summary>One state change, who made it and when.</summary>
public sealed record AuditEntry(long Id, long Ts, string Account, string Action, string? Target, string? Detail);

/// <summary>The audit trail of every state change and login (issue 19), kept in the store and raised for the SOC feed.</summary>
public interface IAuditLog
{
    /// <summary>Raised after an entry is stored (a SOC forwarder listens).</summary>
    event Action<AuditEntry>? Recorded;

    Task RecordAsync(string account, string action, string? target, string? detail, CancellationToken ct);

    /// <summary>Newest first.</summary>
    IReadOnlyList<AuditEntry> List(int limit, string? account = null);
}
