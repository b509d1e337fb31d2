using EdgeSensors.Gateway.Store;
using System.Threading.Channels;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using Microsoft.Data.Sqlite;
using EdgeSensors.Node.Samples;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// Durable storage of readings with group commit: batches from many nodes wait a few milliseconds for each other
/// and share one transaction, hence one fsync, so throughput does not depend on one fsync per reading. A caller's
/// task completes only after its batch is committed — the broker sends the node's PUBACK after that.
/// Duplicates by (node, boot, seq) are ignored by the UNIQUE constraint and reported as such.
/// </summary>
public sealed class ReadingStore : IReadingStore, IAsyncDisposable
{
    private readonly EdgeDatabase _db;
    private readonly StoreOptions _options;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<ReadingStore> _log;
    private readonly Channel<PendingBatch> _queue = Channel.CreateUnbounded<PendingBatch>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _writer;
    private readonly CancellationTokenSource _stop = new();

    /// <summary>Node id → its small integer key in the readings table; touched only by the writer, under the write lock.</summary>
    private readonly Dictionary<string, long> _nodeKeys = new(StringComparer.Ordinal);
    private SqliteCommand? _insert;

    public ReadingStore(EdgeDatabase db, IOptions<StoreOptions> options, GatewayMetrics metrics, ILogger<ReadingStore> log)
    {
        _db = db;
        _options = options.Value;
        _metrics = metrics;
        _log = log;
        using (SqliteConnection c = _db.OpenRead())
        using (SqliteCommand cmd = c.CreateCommand())
        {
            cmd.CommandText = "SELECT id, no FROM node_keys";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                _nodeKeys[r.GetString(0)] = r.GetInt64(1);
            }
        }

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

    // The node's id by a scalar subquery on node_keys' primary key, so that the planner always walks readings by its
    // own key (a join may be reordered into a scan of the per-node index plus a sort).
    private const string Columns = "r.id, (SELECT k.id FROM node_keys k WHERE k.no = r.node), r.boot, r.seq, r.ts, r.rx, r.sync, r.sal, r.ec, r.wt, r.lvl, r.ap, r.at, r.rh, r.nts";
    private const string From = "readings r";
    private const string NodeNo = "(SELECT no FROM node_keys WHERE id = $node)";

    /// <summary>The uplink checkpoint: every reading with an id up to it has been acknowledged by the IOC.</summary>
    public long Cursor
    {
        get
        {
            using SqliteConnection c = _db.OpenRead();
            return EdgeDatabase.Scalar(c, "SELECT through FROM uplink_cursor WHERE id = 1");
        }
    }

    /// <summary>Readings after the uplink cursor, oldest first (per node, the order the node sent them).</summary>
    public IReadOnlyList<StoredReading> PendingForUplink(int max) => PendingAfter(Cursor, max);

    /// <summary>Readings with an id above <paramref name="after"/>, oldest first: the drain streams by cursor.</summary>
    public IReadOnlyList<StoredReading> PendingAfter(long after, int max)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM {From} WHERE r.id > $after ORDER BY r.id LIMIT $n";
        cmd.Parameters.AddWithValue("$after", after);
        cmd.Parameters.AddWithValue("$n", max);
        return ReadAll(cmd);
    }

    private readonly SemaphoreSlim _inFlightGate = new(1, 1);
    private long _inFlightThrough;

    /// <summary>The highest reading id the uplink has taken to send and not yet settled (0: none).</summary>
    public long InFlightThrough => Interlocked.Read(ref _inFlightThrough);

    /// <summary>
    /// Reads pending readings for the uplink and marks them in flight, as one step the store budget cannot interleave
    /// with: the budget never drops (and reports in a gap record) a reading that is on its way to the IOC.
    /// </summary>
    public async Task<IReadOnlyList<StoredReading>> TakePendingAsync(long after, int max, CancellationToken ct)
    {
        await _inFlightGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            IReadOnlyList<StoredReading> pending = PendingAfter(after, max);
            Interlocked.Exchange(ref _inFlightThrough, Math.Max(InFlightThrough, pending.Count > 0 ? pending[^1].Id : 0));
            return pending;
        }
        finally
        {
            _inFlightGate.Release();
        }
    }

    /// <summary>
    /// The uplink's messages were acknowledged or failed. <paramref name="keepThrough"/>: the highest id the IOC
    /// acknowledged beyond the checkpoint (messages after a failed one; they will be sent again) — still protected from
    /// the budget, since the IOC has them; 0 when everything taken is behind the checkpoint.
    /// </summary>
    public void SettleInFlight(long keepThrough) => Interlocked.Exchange(ref _inFlightThrough, keepThrough);

    /// <summary>Runs the budget's drop while no uplink step can take readings, with the id at or below which it must not drop.</summary>
    internal async Task<T> WhileNothingIsTakenAsync<T>(Func<long, Task<T>> work, CancellationToken ct)
    {
        await _inFlightGate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await work(InFlightThrough).ConfigureAwait(false);
        }
        finally
        {
            _inFlightGate.Release();
        }
    }

    /// <summary>Advances the uplink cursor (never backwards), in one statement: the IOC acknowledged everything up to <paramref name="through"/>.</summary>
    public Task<int> AdvanceCursorAsync(long through, CancellationToken ct) =>
        _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE uplink_cursor SET through = $t WHERE id = 1 AND through < $t";
            cmd.Parameters.AddWithValue("$t", through);
            return cmd.ExecuteNonQuery();
        }, ct);

    /// <summary>Readings waiting for the IOC, and the receive time of the oldest (0 when none).</summary>
    public (long Count, long OldestRx) Backlog(string? node = null)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        const string After = "(SELECT through FROM uplink_cursor WHERE id = 1)";
        cmd.CommandText = node == null
            ? $"SELECT count(*), coalesce((SELECT rx FROM readings WHERE id > {After} ORDER BY id LIMIT 1), 0) FROM readings WHERE id > {After}"
            : $"SELECT count(*), coalesce(min(rx), 0) FROM readings WHERE node = {NodeNo} AND id > {After}";
        if (node != null)
        {
            cmd.Parameters.AddWithValue("$node", node);
        }

        using SqliteDataReader r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }

    /// <summary>Receive time of the oldest reading waiting for the IOC, 0 when none (one row read).</summary>
    public long OldestPendingRx()
    {
        using SqliteConnection c = _db.OpenRead();
        return EdgeDatabase.Scalar(c, "SELECT coalesce((SELECT rx FROM readings WHERE id > (SELECT through FROM uplink_cursor WHERE id = 1) ORDER BY id LIMIT 1), 0)");
    }

    /// <summary>The last readings stored for a node, newest first.</summary>
    public IReadOnlyList<StoredReading> Latest(string node, int max)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT {Columns} FROM {From} WHERE r.node = {NodeNo} ORDER BY r.id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$node", node);
        cmd.Parameters.AddWithValue("$n", max);
        return ReadAll(cmd);
    }

    /// <summary>Highest forwarded id for a node (its uplink checkpoint: everything of the node up to it has reached the IOC), 0 when none.</summary>
    public long ForwardedThrough(string node)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT coalesce(max(id), 0) FROM readings WHERE node = {NodeNo} AND id <= (SELECT through FROM uplink_cursor WHERE id = 1)";
        cmd.Parameters.AddWithValue("$node", node);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Averages of salinity and level per time bucket for a node's chart (null where no reading had the field).</summary>
    public IReadOnlyList<(long Ts, double? SalinityPpt, double? LevelM)> History(string node, long fromTs, long toTs, long bucket)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT (ts / $b) * $b AS t, avg(sal) / 100.0, avg(lvl) / 1000.0 FROM readings WHERE node = {NodeNo} AND ts >= $from AND ts <= $to GROUP BY t ORDER BY t";
        cmd.Parameters.AddWithValue("$b", bucket);
        cmd.Parameters.AddWithValue("$node", node);
        cmd.Parameters.AddWithValue("$from", fromTs);
        cmd.Parameters.AddWithValue("$to", toTs);
        var points = new List<(long, double?, double?)>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            points.Add((r.GetInt64(0), r.IsDBNull(1) ? null : r.GetDouble(1), r.IsDBNull(2) ? null : r.GetDouble(2)));
        }

        return points;
    }

    /// <summary>The level of the node's latest reading taken at or before <paramref name="ts"/> that has one.</summary>
    public double? LevelAt(string node, long ts)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = $"SELECT lvl FROM readings WHERE node = {NodeNo} AND ts <= $ts AND lvl IS NOT NULL ORDER BY id DESC LIMIT 1";
        cmd.Parameters.AddWithValue("$node", node);
        cmd.Parameters.AddWithValue("$ts", ts);
        return cmd.ExecuteScalar() is long l ? l / EdgeDatabase.FieldScale[StoredReading.Level] : null;
    }

    public async ValueTask DisposeAsync()
    {
        _inFlightGate.Dispose();
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

        _insert?.Dispose();
        _stop.Dispose();
    }

    internal static List<StoredReading> ReadAll(SqliteCommand cmd)
    {
        var list = new List<StoredReading>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            double[] values = new double[Reading.FieldCount];
            for (int f = 0; f < values.Length; f++)
            {
                values[f] = r.IsDBNull(7 + f) ? double.NaN : r.GetInt64(7 + f) / EdgeDatabase.FieldScale[f];
            }

            list.Add(new StoredReading(r.GetInt64(0), r.GetString(1), (uint)r.GetInt64(2), (uint)r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6) != 0, values)
            {
                NodeTs = r.FieldCount > 14 && !r.IsDBNull(14) ? r.GetInt64(14) : null,
            });
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

            // Group commit sized by load: while commits are shared by several publishers (the last one carried more
            // than one message), give the others a moment to join this one; a lone node publishing now and then is
            // committed at once, without the wait. Under load the commit in progress is itself the window: whatever
            // queued meanwhile goes into the next one whole.
            bool shared = _lastCommitMessages > 1 || batch.Count > 1;
            if (_options.GroupCommitDelayMs > 0 && shared && readings < _options.GroupCommitMaxReadings)
            {
                // Give concurrent publishers a moment to join this commit.
                await Task.Delay(_options.GroupCommitDelayMs).ConfigureAwait(false);
                while (readings < _options.GroupCommitMaxReadings && _queue.Reader.TryRead(out PendingBatch? p))
                {
                    batch.Add(p);
                    readings += p.Readings.Count;
                }
            }

            _lastCommitMessages = batch.Count;
            try
            {
                var stored = new List<StoredReading>();
                CommitResult[] results = await _db.WriteAsync(c => Commit(c, batch, stored)).ConfigureAwait(false);
                _metrics.Commits.Inc();
                // Counted here, where the commit happened, not by the publisher: a node that left while its readings
                // waited for this commit is not told, but its readings are stored all the same (found by RerunTests:
                // "received 34, stored 26, duplicates 4" when four were committed after their publisher gave up).
                foreach (CommitResult r in results)
                {
                    _metrics.ReadingsStored.Inc(r.Stored);
                    _metrics.ReadingsDuplicate.Inc(r.Duplicates);
                }
                _metrics.CommitBatchSize.Observe(readings);
                if (_diskFullSince != null)
                {
                    _log.LogWarning(StoreEvents.DiskFullCleared, "Commits succeed again: the data directory has space; acknowledging readings again");
                    _diskFullSince = null;
                }

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
                if (IsDiskFull(ex))
                {
                    _metrics.StoreDiskFull.Inc();
                    _diskFullSince ??= DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                }

                var failure = new StoreWriteException(ex.Message, ex);
                foreach (PendingBatch p in batch)
                {
                    p.Done.TrySetException(failure);
                }
            }
        }
    }

    private long? _diskFullSince;
    private int _lastCommitMessages;

    /// <inheritdoc/>
    public long? DiskFullSince => _diskFullSince;

    // SQLITE_FULL (13) is SQLite's "database or disk is full"; ENOSPC (28) and EFBIG (27, a file-size limit) reach us
    // as IOException from the file system when it is not SQLite that writes.
    private static bool IsDiskFull(Exception ex) =>
        ex is SqliteException { SqliteErrorCode: 13 } || ex.InnerException is SqliteException { SqliteErrorCode: 13 }
        || (ex is IOException io && ((io.HResult & 0xFFFF) is 28 or 27 or 112 || io.Message.Contains("No space left", StringComparison.Ordinal)));

    private CommitResult[] Commit(SqliteConnection c, List<PendingBatch> batch, List<StoredReading> stored)
    {
        var results = new CommitResult[batch.Count];
        var newKeys = new List<(string Id, long No)>();
        using SqliteTransaction tx = c.BeginTransaction();
        // Prepared once on the write connection and reused by every commit.
        _insert ??= Prepared(c);
        SqliteCommand insert = _insert;
        insert.Transaction = tx;
        for (int i = 0; i < batch.Count; i++)
        {
            int newOnes = 0;
            foreach (StoredReading reading in batch[i].Readings)
            {
                if (!_nodeKeys.TryGetValue(reading.Node, out long no))
                {
                    no = NodeKey(c, tx, reading.Node);
                    _nodeKeys[reading.Node] = no;
                    newKeys.Add((reading.Node, no));
                }

                SqliteParameterCollection p = insert.Parameters;
                p[0].Value = no;
                p[1].Value = (long)reading.Boot;
                p[2].Value = (long)reading.Seq;
                p[3].Value = reading.Ts;
                p[4].Value = reading.Rx;
                p[5].Value = reading.Sync ? 1L : 0L;
                for (int f = 0; f < Reading.FieldCount; f++)
                {
                    double v = reading.Values[f];
                    p[6 + f].Value = double.IsNaN(v) ? DBNull.Value : (long)Math.Round(v * EdgeDatabase.FieldScale[f], MidpointRounding.AwayFromZero);
                }

                p[13].Value = reading.NodeTs is long nts ? nts : DBNull.Value;

                object? id = insert.ExecuteScalar();
                if (id != null)
                {
                    newOnes++;
                    stored.Add(reading with { Id = (long)id });
                }
            }

            results[i] = new CommitResult(newOnes, batch[i].Readings.Count - newOnes);
        }

        try
        {
            tx.Commit();
        }
        catch
        {
            // The node keys of a rolled-back transaction do not exist: forget them.
            foreach ((string id, _) in newKeys)
            {
                _nodeKeys.Remove(id);
            }

            throw;
        }

        return results;
    }

    /// <summary>The insert statement, bound by position (no per-reading name lookups).</summary>
    private static SqliteCommand Prepared(SqliteConnection c)
    {
        SqliteCommand insert = c.CreateCommand();
        insert.CommandText = $"INSERT OR IGNORE INTO readings(node,boot,seq,ts,rx,sync,{string.Join(',', EdgeDatabase.FieldColumns)},nts) VALUES($n,$b,$s,$ts,$rx,$sy,$f0,$f1,$f2,$f3,$f4,$f5,$f6,$nts) RETURNING id";
        foreach (string name in new[] { "$n", "$b", "$s", "$ts", "$rx", "$sy", "$f0", "$f1", "$f2", "$f3", "$f4", "$f5", "$f6", "$nts" })
        {
            insert.Parameters.Add(name, SqliteType.Integer);
        }

        insert.Prepare();
        return insert;
    }

    private static long NodeKey(SqliteConnection c, SqliteTransaction tx, string node)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO node_keys(id) VALUES($id) ON CONFLICT(id) DO UPDATE SET id = excluded.id RETURNING no";
        cmd.Parameters.AddWithValue("$id", node);
        return (long)cmd.ExecuteScalar()!;
    }

    private sealed class PendingBatch(IReadOnlyList<StoredReading> readings)
    {
        public IReadOnlyList<StoredReading> Readings { get; } = readings;

        public TaskCompletionSource<CommitResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
