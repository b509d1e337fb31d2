using System.Threading.Channels;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Store;

/// <summary>
/// Durable storage of readings with group commit: batches from many nodes wait a few milliseconds for each other
/// and share one transaction, hence one fsync, so throughput does not depend on one fsync per reading. A caller's
/// task completes only after its batch is committed — the broker sends the node's PUBACK after that.
/// Duplicates by (node, boot, seq) are ignored by the UNIQUE constraint and reported as such.
/// </summary>
public sealed class ReadingStore : IAsyncDisposable
{
    private readonly EdgeDatabase _db;
    private readonly StoreOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<ReadingStore> _log;
    private readonly Channel<PendingBatch> _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly CancellationTokenSource _stop = new();

    public ReadingStore(EdgeDatabase db, IOptions<StoreOptions> options, GatewayMetrics metrics, ILogger<ReadingStore> log)
    {
        _db = db;
        _options = options.Value;
        _metrics = metrics;
        _log = log;
        _writer = Task.Run(WriteLoopAsync);
    }

    /// <summary>Raised after each commit that stored new readings (the uplink and alert engine wake on it).</summary>
    public event Action<IReadOnlyList<StoredReading>>? Committed;

    /// <summary>Stores the readings durably; completes after the commit.</summary>
    public Task<CommitResult> StoreAsync(IReadOnlyList<StoredReading> readings, CancellationToken ct)
    {
        var pending = new PendingBatch(readings);
        if (!_queue.Writer.TryWrite(pending))
        {
            throw new InvalidOperationException("The store is shutting down.");
        }

        return pending.Done.Task.WaitAsync(ct);
    }

    /// <summary>Oldest unforwarded readings, in id order (per node, the order the node sent them).</summary>
    public IReadOnlyList<StoredReading> PendingForUplink(int max)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id,node,boot,seq,ts,rx,sync,q,r FROM readings WHERE forwarded = 0 ORDER BY id LIMIT $n";
        cmd.Parameters.AddWithValue("$n", max);
        return ReadAll(cmd);
    }

    /// <summary>Marks readings as acknowledged by the IOC (the persisted uplink checkpoint), in one transaction.</summary>
    public Task<int> MarkForwardedAsync(IReadOnlyList<long> ids, CancellationToken ct) =>
        _db.WriteAsync(c =>
        {
            int n = 0;
            using SqliteTransaction tx = c.BeginTransaction();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "UPDATE readings SET forwarded = 1 WHERE id = $id AND forwarded = 0";
            SqliteParameter id = cmd.Parameters.Add("$id", SqliteType.Integer);
            foreach (long i in ids)
            {
                id.Value = i;
                n += cmd.ExecuteNonQuery();
            }

            tx.Commit();
            return n;
        }, ct);

    /// <summary>Readings waiting for the IOC, and the receive time of the oldest (0 when none).</summary>
    public (long Count, long OldestRx) Backlog(string? node = null)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = node == null
            ? "SELECT count(*), coalesce(min(rx), 0) FROM readings WHERE forwarded = 0"
            : "SELECT count(*), coalesce(min(rx), 0) FROM readings WHERE forwarded = 0 AND node = $node";
        if (node != null)
        {
            cmd.Parameters.AddWithValue("$node", node);
        }

        using SqliteDataReader r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>The last readings stored for a node, newest first.</summary>
    public IReadOnlyList<StoredReading> Latest(string node, int max)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id,node,boot,seq,ts,rx,sync,q,r FROM readings WHERE node = $node ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$node", node);
        cmd.Parameters.AddWithValue("$n", max);
        return ReadAll(cmd);
    }

    /// <summary>Highest forwarded id for a node (its uplink checkpoint: everything of the node up to it has reached the IOC), 0 when none.</summary>
    public long ForwardedThrough(string node)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT coalesce(max(id), 0) FROM readings WHERE node = $node AND forwarded = 1";
        cmd.Parameters.AddWithValue("$node", node);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    public async ValueTask DisposeAsync()
    {
        // Graceful shutdown flushes: the writer drains what is queued, then stops.
        _queue.Writer.TryComplete();
        try
        {
            await _writer.WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            _log.LogWarning(StoreEvents.ShutdownTimeout, "Store writer did not drain within 30 s");
        }

        _stop.Dispose();
    }

    internal static List<StoredReading> ReadAll(SqliteCommand cmd)
    {
        var list = new List<StoredReading>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new StoredReading(r.GetInt64(0), r.GetString(1), (uint)r.GetInt64(2), (uint)r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6) != 0, r.GetString(7), r.GetString(8)));
        }

        return list;
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingBatch>();
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            int readings = 0;
            while (readings < _options.GroupCommitMaxReadings && _queue.Reader.TryRead(out PendingBatch? p))
            {
                batch.Add(p);
                readings += p.Readings.Count;
            }

            if (_options.GroupCommitDelayMs > 0 && readings < _options.GroupCommitMaxReadings)
            {
                // Give concurrent publishers a moment to join this commit.
                await Task.Delay(_options.GroupCommitDelayMs).ConfigureAwait(false);
                while (readings < _options.GroupCommitMaxReadings && _queue.Reader.TryRead(out PendingBatch? p))
                {
                    batch.Add(p);
                    readings += p.Readings.Count;
                }
            }

            try
            {
                var stored = new List<StoredReading>();
                CommitResult[] results = await _db.WriteAsync(c => Commit(c, batch, stored)).ConfigureAwait(false);
                _metrics.Commits.Inc();
                _metrics.CommitBatchSize.Observe(readings);
                for (int i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }

                if (stored.Count > 0)
                {
                    Committed?.Invoke(stored);
                }
            }
            catch (Exception ex) when (ex is SqliteException or IOException)
            {
                // Nothing of this batch is acknowledged: every publisher's task fails, so no node gets a PUBACK and
                // each keeps its readings to send again.
                _log.LogError(StoreEvents.CommitFailed, ex, "Commit of {Readings} readings failed: {Reason}", readings, ex.Message);
                _metrics.CommitFailures.Inc();
                foreach (PendingBatch p in batch)
                {
                    p.Done.TrySetException(ex);
                }
            }
        }
    }

    private static CommitResult[] Commit(SqliteConnection c, List<PendingBatch> batch, List<StoredReading> stored)
    {
        var results = new CommitResult[batch.Count];
        using SqliteTransaction tx = c.BeginTransaction();
        using SqliteCommand insert = c.CreateCommand();
        insert.Transaction = tx;
        insert.CommandText = "INSERT OR IGNORE INTO readings(node,boot,seq,ts,rx,sync,q,r) VALUES($node,$boot,$seq,$ts,$rx,$sync,$q,$r) RETURNING id";
        SqliteParameter node = insert.Parameters.Add("$node", SqliteType.Text);
        SqliteParameter boot = insert.Parameters.Add("$boot", SqliteType.Integer);
        SqliteParameter seq = insert.Parameters.Add("$seq", SqliteType.Integer);
        SqliteParameter ts = insert.Parameters.Add("$ts", SqliteType.Integer);
        SqliteParameter rx = insert.Parameters.Add("$rx", SqliteType.Integer);
        SqliteParameter sync = insert.Parameters.Add("$sync", SqliteType.Integer);
        SqliteParameter q = insert.Parameters.Add("$q", SqliteType.Text);
        SqliteParameter r = insert.Parameters.Add("$r", SqliteType.Text);
        insert.Prepare();
        for (int i = 0; i < batch.Count; i++)
        {
            int newOnes = 0;
            foreach (StoredReading reading in batch[i].Readings)
            {
                node.Value = reading.Node;
                boot.Value = (long)reading.Boot;
                seq.Value = (long)reading.Seq;
                ts.Value = reading.Ts;
                rx.Value = reading.Rx;
                sync.Value = reading.Sync ? 1 : 0;
                q.Value = reading.Quality;
                r.Value = reading.FieldsJson;
                object? id = insert.ExecuteScalar();
                if (id != null)
                {
                    newOnes++;
                    stored.Add(reading with { Id = (long)id });
                }
            }

            results[i] = new CommitResult(newOnes, batch[i].Readings.Count - newOnes);
        }

        tx.Commit();
        return results;
    }

    private sealed class PendingBatch(IReadOnlyList<StoredReading> readings)
    {
        public IReadOnlyList<StoredReading> Readings { get; } = readings;

        public TaskCompletionSource<CommitResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
