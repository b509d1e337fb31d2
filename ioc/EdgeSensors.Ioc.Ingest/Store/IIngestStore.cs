using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Report;

namespace EdgeSensors.Ioc.Ingest.Store;

/// <summary>What one batch did in the database.</summary>
/// <param name="Conflicts">Of the duplicates, those whose values differ from what was stored first: kept aside in the conflicts table, never stored over it.</param>
public sealed record CommitResult(int Stored, int Duplicates, int Alerts, int Gaps, int Parked, int Conflicts = 0);

/// <summary>A reading id that arrived again with other values: what was stored first and what came later.</summary>
public sealed record ConflictEntry(string Site, string Node, long Boot, long Seq, DateTimeOffset At, string Instance, long StoredTs, string StoredFields, long NewTs, string NewFields);

/// <summary>A parked (refused) message.</summary>
public sealed record ParkedEntry(long Id, DateTimeOffset At, string Instance, string Topic, string Reason, int Size, string Preview);

/// <summary>
/// Where ingested messages land, exactly once: a reading is stored only if its (site, node, boot, seq) is new, in
/// the same transaction as everything else of its batch; the source acknowledges the batch to the broker only after
/// <see cref="CommitAsync"/> returned. PostgreSQL for the IOC, SQLite for one machine.
/// </summary>
public interface IIngestStore : IAsyncDisposable
{
    /// <summary>Creates or checks the schema (safe to run from several instances at once).</summary>
    Task InitializeAsync(CancellationToken ct);

    Task<CommitResult> CommitAsync(IReadOnlyList<DecodedMessage> batch, string instance, CancellationToken ct);

    /// <summary>Runs of consecutive seq per (site, node, boot), and the gap records, for the completeness report.</summary>
    Task<CompletenessInput> CompletenessInputAsync(string? site, CancellationToken ct);

    Task<IReadOnlyList<ParkedEntry>> ParkedAsync(int limit, CancellationToken ct);

    /// <summary>Deletes parked messages parked before <paramref name="before"/> (retention); the value is how many.</summary>
    Task<int> PruneParkedAsync(DateTimeOffset before, CancellationToken ct);

    /// <summary>Readings ids that arrived again with other values (issue 32), newest first.</summary>
    Task<IReadOnlyList<ConflictEntry>> ConflictsAsync(int limit, CancellationToken ct);

    /// <summary>Total readings stored and duplicates received (all instances).</summary>
    Task<(long Readings, long Duplicates, long Parked)> TotalsAsync(CancellationToken ct);
}
