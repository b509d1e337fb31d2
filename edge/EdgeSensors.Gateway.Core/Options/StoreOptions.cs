using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Options;

/// <summary>The durable store. Section "Store".</summary>
public sealed class StoreOptions
{
    public const string Section = "Store";

    /// <summary>Hard cap on the database's live data, bytes. Past it, the oldest unforwarded readings are dropped, counted and reported to the IOC as gaps.</summary>
    [Range(1_000_000, long.MaxValue)]
    public long MaxBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Above this share of <see cref="MaxBytes"/>, forwarded history is evicted, oldest first, to keep room for what is not yet forwarded.</summary>
    [Range(10, 95)]
    public int HistoryHighWaterPercent { get; set; } = 80;

    /// <summary>Forwarded readings older than this many days are deleted (local history for the farmers' page).</summary>
    [Range(1, 3650)]
    public int RetentionDays { get; set; } = 90;

    /// <summary>Longest a reading waits for others to share its fsync, ms (group commit).</summary>
    [Range(0, 1000)]
    public int GroupCommitDelayMs { get; set; } = 2;

    /// <summary>Most readings per commit.</summary>
    [Range(1, 100000)]
    public int GroupCommitMaxReadings { get; set; } = 5000;

    /// <summary>How often the budget and retention run at most, ms (they also run after commits).</summary>
    [Range(50, 3600000)]
    public int MaintenanceIntervalMs { get; set; } = 5000;

    /// <summary>Malformed payloads kept for technicians to inspect.</summary>
    [Range(0, 10000)]
    public int QuarantineSize { get; set; } = 100;
}
