using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Uplink;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// Keeps the database inside its byte budget, with the when-full policy of the design:
/// 1. past the high-water mark, forwarded history goes first, oldest first;
/// 2. only past the hard cap, with no history left, the oldest unforwarded readings are dropped — counted in
///    metrics and persisted counters, and reported to the IOC as gap records (in the same transaction).
/// Also applies the retention period to forwarded history.
/// </summary>
public sealed class StoreBudget
{
    private readonly EdgeSensors.Gateway.Security.SecurityEvents _events;
    private const int Chunk = 2000;
    private const string Cursor = "(SELECT through FROM uplink_cursor WHERE id = 1)";
    private readonly EdgeDatabase _db;
    private readonly ReadingStore _store;
    private readonly StoreOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly OutboundLane _outbound;
    private readonly IocMessageEncoder _encoder;
    private readonly ILogger<StoreBudget> _log;

    public StoreBudget(EdgeDatabase db, ReadingStore store, IOptions<StoreOptions> options, GatewayMetrics metrics, OutboundLane outbound, IocMessageEncoder encoder, EdgeSensors.Gateway.Security.SecurityEvents events, ILogger<StoreBudget> log)
    {
        _events = events;
        _db = db;
        _store = store;
        _options = options.Value;
        _metrics = metrics;
        _outbound = outbound;
        _encoder = encoder;
        _log = log;
        _metrics.StoreLimitBytes.Set(_options.MaxBytes);
    }

    /// <summary>Runs the policy once; returns readings dropped unforwarded.</summary>
    public async Task<long> EnforceAsync(CancellationToken ct)
    {
        long dropped = 0;
        long highWater = _options.MaxBytes * _options.HistoryHighWaterPercent / 100;
        long used = _db.UsedBytes();
        _metrics.StoreBytes.Set(used);

        long cutoff = DateTimeOffset.UtcNow.AddDays(-_options.RetentionDays).ToUnixTimeSeconds();
        // Forwarded history is at and below the cursor, oldest first by id; receive times rise with ids, so only the
        // oldest rows are looked at, a chunk at a time, never the whole history.
        int expired = 0;
        for (int n = Chunk; n == Chunk && !ct.IsCancellationRequested;)
        {
            n = await _db.WriteAsync(c => Delete(c, $"DELETE FROM readings WHERE id IN (SELECT id FROM readings WHERE id <= {Cursor} ORDER BY id LIMIT {Chunk}) AND rx < $cutoff", ("$cutoff", cutoff)), ct).ConfigureAwait(false);
            expired += n;
        }

        if (expired > 0)
        {
            _log.LogInformation(StoreEvents.RetentionDeleted, "Deleted {Count} forwarded readings older than {Days} days", expired, _options.RetentionDays);
        }

        while (used > highWater && !ct.IsCancellationRequested)
        {
            int evicted = await _db.WriteAsync(c => Delete(c, $"DELETE FROM readings WHERE id IN (SELECT id FROM readings WHERE id <= {Cursor} ORDER BY id LIMIT $n)", ("$n", Chunk)), ct).ConfigureAwait(false);
            if (evicted == 0)
            {
                break;
            }

            _metrics.HistoryEvicted.Inc(evicted);
            _log.LogInformation(StoreEvents.HistoryEvicted, "Evicted {Count} forwarded readings from history ({Used} of {Max} bytes used)", evicted, used, _options.MaxBytes);
            used = _db.UsedBytes();
        }

        while (used > _options.MaxBytes && !ct.IsCancellationRequested)
        {
            // Never what the uplink has taken to send: a reading both at the IOC and in a gap record would be reported dropped wrongly.
            int n = await _store.WhileNothingIsTakenAsync(inFlight => _db.WriteAsync(c => DropOldestUnforwarded(c, inFlight), ct), ct).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            dropped += n;
            used = _db.UsedBytes();
        }

        // The size first, then the drop count: whoever sees the drops counted also sees the size they left.
        _metrics.StoreBytes.Set(used);
        if (dropped > 0)
        {
            _metrics.Dropped.WithLabels("store_full").Inc(dropped);
            _log.LogWarning(StoreEvents.UnforwardedDropped, "Store over its hard cap of {Max} bytes: dropped {Count} unforwarded readings, oldest first; gap records queued for the IOC", _options.MaxBytes, dropped);
            // A policy drop is also the SOC's business: data the province will never see (issue 15, scope 6).
            _events.Raise("policy_drop", EdgeSensors.Gateway.Security.SecurityEvents.Warning, null, null, "store_full",
                $"dropped {dropped} readings not yet at the IOC: the store passed its hard cap of {_options.MaxBytes} bytes; gap records queued");
            _outbound.RaiseQueued();
        }

        return dropped;
    }

    /// <summary>Total readings ever dropped by policy (persisted across restarts).</summary>
    public long DroppedTotal()
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT coalesce((SELECT value FROM counters WHERE name = 'dropped_store_full'), 0)";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Delete(SqliteConnection c, string sql, (string Name, long Value) p)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue(p.Name, p.Value);
        return cmd.ExecuteNonQuery();
    }

    private int DropOldestUnforwarded(SqliteConnection c, long inFlight)
    {
        using SqliteTransaction tx = c.BeginTransaction();
        var victims = new List<(long Id, string Node, uint Boot, uint Seq)>();
        using (SqliteCommand select = c.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = $"SELECT r.id, (SELECT k.id FROM node_keys k WHERE k.no = r.node), r.boot, r.seq FROM readings r WHERE r.id > {Cursor} AND r.id > $inflight ORDER BY r.id LIMIT $n";
            select.Parameters.AddWithValue("$inflight", inFlight);
            select.Parameters.AddWithValue("$n", Chunk);
            using SqliteDataReader r = select.ExecuteReader();
            while (r.Read())
            {
                victims.Add((r.GetInt64(0), r.GetString(1), (uint)r.GetInt64(2), (uint)r.GetInt64(3)));
            }
        }

        if (victims.Count == 0)
        {
            return 0;
        }

        using (SqliteCommand delete = c.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = $"DELETE FROM readings WHERE id > {Cursor} AND id > $inflight AND id <= $max";
            delete.Parameters.AddWithValue("$inflight", inFlight);
            delete.Parameters.AddWithValue("$max", victims[^1].Id);
            delete.ExecuteNonQuery();
        }

        // One gap record per run of consecutive seqs of one (node, boot).
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var group in victims.GroupBy(v => (v.Node, v.Boot)))
        {
            uint[] seqs = group.Select(v => v.Seq).Order().ToArray();
            int start = 0;
            for (int i = 1; i <= seqs.Length; i++)
            {
                if (i == seqs.Length || seqs[i] != seqs[i - 1] + 1)
                {
                    string gap = _encoder.Gap(group.Key.Node, group.Key.Boot, seqs[start], seqs[i - 1], i - start, "store_full", now);
                    OutboundLane.Insert(c, tx, OutboundKind.Gap, group.Key.Node, gap);
                    start = i;
                }
            }
        }

        using (SqliteCommand count = c.CreateCommand())
        {
            count.Transaction = tx;
            count.CommandText = "INSERT INTO counters(name, value) VALUES('dropped_store_full', $n) ON CONFLICT(name) DO UPDATE SET value = value + $n";
            count.Parameters.AddWithValue("$n", victims.Count);
            count.ExecuteNonQuery();
        }

        tx.Commit();
        return victims.Count;
    }
}
