using System.Text.Json;
using System.Text;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Report;
using EdgeSensors.Ioc.Ingest.SensorThings;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Ioc.Ingest.Store;

/// <summary>
/// The embedded default: one SQLite file (WAL, synchronous=FULL), readings keyed by (site, node, boot, seq) so a
/// re-sent reading is ignored, not stored twice. For one machine; several instances need PostgreSQL.
/// </summary>
public sealed class SqliteIngestStore(string path) : IIngestStore, IObservationStore
{
    private const string Schema = """
        PRAGMA journal_mode=WAL;
        PRAGMA synchronous=FULL;
        CREATE TABLE IF NOT EXISTS readings (site TEXT NOT NULL, node TEXT NOT NULL, boot INTEGER NOT NULL, seq INTEGER NOT NULL,
            ts INTEGER NOT NULL, rx INTEGER NOT NULL, sync INTEGER NOT NULL, q TEXT NOT NULL, node_ts INTEGER, fields TEXT NOT NULL,
            ingested_at INTEGER NOT NULL, PRIMARY KEY (site, node, boot, seq)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS readings_site_node_ts ON readings (site, node, ts);
        CREATE TABLE IF NOT EXISTS alerts (site TEXT NOT NULL, id TEXT NOT NULL, state TEXT NOT NULL, ts INTEGER NOT NULL, node TEXT,
            kind TEXT NOT NULL, level TEXT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (site, id, state, ts));
        CREATE TABLE IF NOT EXISTS gaps (site TEXT NOT NULL, node TEXT NOT NULL, boot INTEGER NOT NULL, seq_from INTEGER NOT NULL, seq_to INTEGER NOT NULL,
            count INTEGER NOT NULL, reason TEXT NOT NULL, ts INTEGER NOT NULL, PRIMARY KEY (site, node, boot, seq_from, seq_to));
        CREATE TABLE IF NOT EXISTS parked (id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, instance TEXT NOT NULL, topic TEXT NOT NULL,
            reason TEXT NOT NULL, size INTEGER NOT NULL, body BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS duplicates (site TEXT NOT NULL, node TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (site, node));
        CREATE TABLE IF NOT EXISTS conflicts (id INTEGER PRIMARY KEY AUTOINCREMENT, site TEXT NOT NULL, node TEXT NOT NULL, boot INTEGER NOT NULL,
            seq INTEGER NOT NULL, at INTEGER NOT NULL, instance TEXT NOT NULL, stored_ts INTEGER NOT NULL, stored_fields TEXT NOT NULL,
            new_ts INTEGER NOT NULL, new_fields TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS stations (site TEXT NOT NULL, node TEXT NOT NULL, lat REAL, lon REAL, name TEXT,
            first_ts INTEGER NOT NULL, last_ts INTEGER NOT NULL, PRIMARY KEY (site, node)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS marks (site TEXT NOT NULL, node TEXT NOT NULL, boot INTEGER NOT NULL, seq INTEGER NOT NULL,
            ts INTEGER NOT NULL, at INTEGER NOT NULL, PRIMARY KEY (site, node, boot)) WITHOUT ROWID;
        INSERT OR IGNORE INTO stations (site, node, first_ts, last_ts) SELECT site, node, MIN(ts), MAX(ts) FROM readings
            WHERE NOT EXISTS (SELECT 1 FROM stations LIMIT 1) GROUP BY site, node;
        """;

    private static readonly string[] ReadingParameters = ["$site", "$node", "$boot", "$seq", "$ts", "$rx", "$sync", "$q", "$nts", "$fields", "$now"];
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
    private readonly string _readConnectionString = new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadOnly }.ToString();
    private SqliteConnection? _db;

    // One write connection, used by the pipeline's commits and the refresher's pruning: one at a time (a connection is
    // not safe across threads). Reads (API, report, SensorThings) open their own read-only connections.
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public async Task InitializeAsync(CancellationToken ct)
    {
        string? dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir != null)
        {
            Directory.CreateDirectory(dir);
        }

        _db = new SqliteConnection(_connectionString);
        await _db.OpenAsync(ct).ConfigureAwait(false);
        await using SqliteCommand cmd = _db.CreateCommand();
        cmd.CommandText = Schema;
        await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    private SqliteConnection Db => _db ?? throw new InvalidOperationException("the store is not initialised");

    public async Task<CommitResult> CommitAsync(IReadOnlyList<DecodedMessage> batch, string instance, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await CommitLockedAsync(batch, instance, ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task<CommitResult> CommitLockedAsync(IReadOnlyList<DecodedMessage> batch, string instance, CancellationToken ct)
    {
        int stored = 0, duplicates = 0, alerts = 0, gaps = 0, parked = 0, conflicts = 0;
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await using var tx = (SqliteTransaction)await Db.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using SqliteCommand reading = Db.CreateCommand();
        reading.Transaction = tx;
        reading.CommandText = "INSERT OR IGNORE INTO readings VALUES ($site, $node, $boot, $seq, $ts, $rx, $sync, $q, $nts, $fields, $now)";
        SqliteParameter[] p = ReadingParameters.Select(n => reading.Parameters.Add(n, SqliteType.Text)).ToArray();
        var dupes = new Dictionary<(string, string), long>();
        foreach (DecodedMessage m in batch)
        {
            foreach (ReadingRow r in m.Readings)
            {
                p[0].Value = r.Site;
                p[1].Value = r.Node;
                p[2].Value = r.Boot;
                p[3].Value = r.Seq;
                p[4].Value = r.Ts;
                p[5].Value = r.Rx;
                p[6].Value = r.Sync ? 1 : 0;
                p[7].Value = r.Quality;
                p[8].Value = (object?)r.NodeTs ?? DBNull.Value;
                p[9].Value = r.Fields;
                p[10].Value = now;
                if (await reading.ExecuteNonQueryAsync(ct).ConfigureAwait(false) == 1)
                {
                    stored++;
                }
                else
                {
                    duplicates++;
                    dupes[(r.Site, r.Node)] = dupes.GetValueOrDefault((r.Site, r.Node)) + 1;
                    conflicts += await KeepConflictAsync(tx, r, instance, now, ct).ConfigureAwait(false);
                }
            }

            if (m.Alert is { } a)
            {
                alerts += await ExecAsync(tx, "INSERT OR IGNORE INTO alerts VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", ct, a.Site, a.Id, a.State, a.Ts, a.Node, a.Kind, a.Level, a.Json).ConfigureAwait(false);
            }

            if (m.Gap is { } g)
            {
                gaps += await ExecAsync(tx, "INSERT OR IGNORE INTO gaps VALUES ($1, $2, $3, $4, $5, $6, $7, $8)", ct, g.Site, g.Node, g.Boot, g.SeqFrom, g.SeqTo, g.Count, g.Reason, g.Ts).ConfigureAwait(false);
            }

            foreach (MarkRow mk in m.Marks ?? [])
            {
                // The highest mark wins; "at" (the ingest's clock) says since when the IOC has expected those readings.
                await ExecAsync(tx, """
                    INSERT INTO marks VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (site, node, boot) DO UPDATE SET
                        at = CASE WHEN excluded.seq > seq THEN excluded.at ELSE at END, seq = MAX(seq, excluded.seq), ts = MAX(ts, excluded.ts)
                    """, ct, mk.Site, mk.Node, mk.Boot, mk.Seq, mk.Ts, now).ConfigureAwait(false);
            }

            if (m.Parked is { } k)
            {
                parked += await ExecAsync(tx, "INSERT INTO parked (at, instance, topic, reason, size, body) VALUES ($1, $2, $3, $4, $5, $6)", ct, now, instance, k.Topic, k.Reason, k.Size, k.Body).ConfigureAwait(false);
            }
        }

        foreach (((string site, string node), long n) in dupes)
        {
            await ExecAsync(tx, "INSERT INTO duplicates VALUES ($1, $2, $3) ON CONFLICT (site, node) DO UPDATE SET n = n + excluded.n", ct, site, node, n).ConfigureAwait(false);
        }

        foreach (StationUpdate u in StoreSql.Stations(batch))
        {
            await ExecAsync(tx, """
                INSERT INTO stations VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (site, node) DO UPDATE SET
                    lat = COALESCE(excluded.lat, lat), lon = COALESCE(excluded.lon, lon), name = COALESCE(excluded.name, name),
                    first_ts = MIN(first_ts, excluded.first_ts), last_ts = MAX(last_ts, excluded.last_ts)
                """, ct, u.Site, u.Node, u.Lat, u.Lon, u.Name, u.FirstTs, u.LastTs).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new CommitResult(stored, duplicates, alerts, gaps, parked, conflicts);
    }

    /// <summary>
    /// A duplicate whose time or values differ from the stored reading is a conflict (issue 32: "first write wins" had
    /// kept a forged early copy silently): the stored one stays, the other is kept aside with both, and counted.
    /// </summary>
    private async Task<int> KeepConflictAsync(SqliteTransaction tx, ReadingRow r, string instance, long now, CancellationToken ct)
    {
        await using SqliteCommand find = Db.CreateCommand();
        find.Transaction = tx;
        find.CommandText = "SELECT ts, fields FROM readings WHERE site = $1 AND node = $2 AND boot = $3 AND seq = $4";
        find.Parameters.AddWithValue("$1", r.Site);
        find.Parameters.AddWithValue("$2", r.Node);
        find.Parameters.AddWithValue("$3", r.Boot);
        find.Parameters.AddWithValue("$4", r.Seq);
        long ts;
        string fields;
        await using (SqliteDataReader x = await find.ExecuteReaderAsync(ct).ConfigureAwait(false))
        {
            if (!await x.ReadAsync(ct).ConfigureAwait(false))
            {
                return 0; // a repeat inside this batch of a reading stored by it: compared when the batch is stored again
            }

            ts = x.GetInt64(0);
            fields = x.GetString(1);
        }

        if (ts == r.Ts && StoreSql.SameJson(fields, r.Fields))
        {
            return 0;
        }

        return await ExecAsync(tx, "INSERT INTO conflicts (site, node, boot, seq, at, instance, stored_ts, stored_fields, new_ts, new_fields) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
            ct, r.Site, r.Node, r.Boot, r.Seq, now, instance, ts, fields, r.Ts, r.Fields).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConflictEntry>> ConflictsAsync(int limit, CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        var list = new List<ConflictEntry>();
        await using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT site, node, boot, seq, at, instance, stored_ts, stored_fields, new_ts, new_fields FROM conflicts ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ConflictEntry(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4)), r.GetString(5), r.GetInt64(6), r.GetString(7), r.GetInt64(8), r.GetString(9)));
        }

        return list;
    }

    private async Task<int> ExecAsync(SqliteTransaction tx, string sql, CancellationToken ct, params object?[] values)
    {
        await using SqliteCommand cmd = Db.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = sql;
        for (int i = 0; i < values.Length; i++)
        {
            cmd.Parameters.AddWithValue($"${i + 1}", values[i] ?? DBNull.Value);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<CompletenessInput> CompletenessInputAsync(string? site, CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        var runs = new List<SeqRun>();
        await using (SqliteCommand cmd = db.CreateCommand())
        {
            cmd.CommandText = StoreSql.Runs("readings", "$site");
            cmd.Parameters.AddWithValue("$site", (object?)site ?? DBNull.Value);
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                runs.Add(new SeqRun(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
            }
        }

        var gaps = new List<ReportedGap>();
        await using (SqliteCommand cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT site, node, boot, seq_from, seq_to, reason FROM gaps WHERE $site IS NULL OR site = $site";
            cmd.Parameters.AddWithValue("$site", (object?)site ?? DBNull.Value);
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                gaps.Add(new ReportedGap(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5)));
            }
        }

        var dupes = new Dictionary<(string, string), long>();
        await using (SqliteCommand cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT site, node, n FROM duplicates";
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                dupes[(r.GetString(0), r.GetString(1))] = r.GetInt64(2);
            }
        }

        var marks = new List<ForwardedMark>();
        await using (SqliteCommand cmd = db.CreateCommand())
        {
            cmd.CommandText = "SELECT site, node, boot, seq, at FROM marks WHERE $site IS NULL OR site = $site";
            cmd.Parameters.AddWithValue("$site", (object?)site ?? DBNull.Value);
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                marks.Add(new ForwardedMark(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(4))));
            }
        }

        return new CompletenessInput(runs, gaps, dupes, marks);
    }

    public async Task<int> PruneParkedAsync(DateTimeOffset before, CancellationToken ct)
    {
        await _writeLock.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            await using SqliteCommand cmd = Db.CreateCommand();
            cmd.CommandText = "DELETE FROM parked WHERE at < $before";
            cmd.Parameters.AddWithValue("$before", before.ToUnixTimeSeconds());
            return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public async Task<IReadOnlyList<ParkedEntry>> ParkedAsync(int limit, CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        var list = new List<ParkedEntry>();
        await using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT id, at, instance, topic, reason, size, body FROM parked ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ParkedEntry(r.GetInt64(0), DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(1)), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), StoreSql.Preview((byte[])r[6])));
        }

        return list;
    }

    public async Task<(long Readings, long Duplicates, long Parked)> TotalsAsync(CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        await using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM readings), (SELECT COALESCE(SUM(n), 0) FROM duplicates), (SELECT COUNT(*) FROM parked)";
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    // SensorThings reads on their own read-only connections (WAL: readers never wait for the writer, nor it for them).
    private async Task<SqliteConnection> OpenReadAsync(CancellationToken ct)
    {
        var db = new SqliteConnection(_readConnectionString);
        await db.OpenAsync(ct).ConfigureAwait(false);
        return db;
    }

    public async Task<IReadOnlyList<Station>> StationsAsync(CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        await using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT site, node, lat, lon, name, first_ts, last_ts FROM stations ORDER BY site, node";
        var list = new List<Station>();
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new Station(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5), r.GetInt64(6)));
        }

        return list;
    }

    public async Task<IReadOnlyList<ReadingRow>> ScanAsync(ReadingScan scan, ScanCursor? after, int limit, CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        await using SqliteCommand cmd = db.CreateCommand();
        var where = new List<string>();
        void Add(string condition, string name, object value)
        {
            where.Add(condition);
            cmd.Parameters.AddWithValue(name, value);
        }

        if (scan.Site != null)
        {
            Add("site = $site", "$site", scan.Site);
        }

        if (scan.Node != null)
        {
            Add("node = $node", "$node", scan.Node);
        }

        if (scan.FromTs is long from)
        {
            Add("ts >= $from", "$from", from);
        }

        if (scan.ToTs is long to)
        {
            Add("ts <= $to", "$to", to);
        }

        if (scan.Field != null)
        {
            where.Add($"json_type(fields, '$.{StaCatalog.Property(scan.Field).Field}') IS NOT NULL"); // a catalogue name, never the client's text
        }

        string dir = scan.Descending ? "DESC" : "ASC";
        if (after != null)
        {
            where.Add($"(ts, site, node, boot, seq) {(scan.Descending ? "<" : ">")} ($cts, $cs, $cn, $cb, $cq)");
            cmd.Parameters.AddWithValue("$cts", after.Ts);
            cmd.Parameters.AddWithValue("$cs", after.Site);
            cmd.Parameters.AddWithValue("$cn", after.Node);
            cmd.Parameters.AddWithValue("$cb", after.Boot);
            cmd.Parameters.AddWithValue("$cq", after.Seq);
        }

        cmd.CommandText = $"""
            SELECT site, node, boot, seq, ts, rx, sync, q, node_ts, fields FROM readings
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)}
            ORDER BY ts {dir}, site {dir}, node {dir}, boot {dir}, seq {dir} LIMIT $limit
            """;
        cmd.Parameters.AddWithValue("$limit", limit);
        var list = new List<ReadingRow>();
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(ReadRow(r));
        }

        return list;
    }

    public async Task<ReadingRow?> ReadingAsync(string site, string node, long boot, long seq, CancellationToken ct)
    {
        await using SqliteConnection db = await OpenReadAsync(ct).ConfigureAwait(false);
        await using SqliteCommand cmd = db.CreateCommand();
        cmd.CommandText = "SELECT site, node, boot, seq, ts, rx, sync, q, node_ts, fields FROM readings WHERE site = $1 AND node = $2 AND boot = $3 AND seq = $4";
        cmd.Parameters.AddWithValue("$1", site);
        cmd.Parameters.AddWithValue("$2", node);
        cmd.Parameters.AddWithValue("$3", boot);
        cmd.Parameters.AddWithValue("$4", seq);
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadRow(r) : null;
    }

    private static ReadingRow ReadRow(SqliteDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetInt64(6) != 0, r.GetString(7),
            r.IsDBNull(8) ? null : r.GetInt64(8), r.GetString(9));

    public async ValueTask DisposeAsync()
    {
        _writeLock.Dispose();
        if (_db != null)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>A station's row as one batch changes it: its location when the batch carried one, its time span.</summary>
internal sealed record StationUpdate(string Site, string Node, double? Lat, double? Lon, string? Name, long FirstTs, long LastTs);

/// <summary>SQL both stores share (window functions: PostgreSQL, and SQLite since 3.25).</summary>
internal static class StoreSql
{
    /// <summary>
    /// The stations a batch touches, each once, in (site, node) order — the order every instance locks them in, so two
    /// instances upserting the same stations cannot deadlock.
    /// </summary>
    public static List<StationUpdate> Stations(IReadOnlyList<DecodedMessage> batch)
    {
        var by = new SortedDictionary<(string, string), StationUpdate>();
        foreach (DecodedMessage m in batch)
        {
            foreach (ReadingRow r in m.Readings)
            {
                by[(r.Site, r.Node)] = by.TryGetValue((r.Site, r.Node), out StationUpdate? u)
                    ? u with { FirstTs = Math.Min(u.FirstTs, r.Ts), LastTs = Math.Max(u.LastTs, r.Ts) }
                    : new StationUpdate(r.Site, r.Node, null, null, null, r.Ts, r.Ts);
            }

            if (m.Station is { } s && by.TryGetValue((s.Site, s.Node), out StationUpdate? at))
            {
                by[(s.Site, s.Node)] = at with { Lat = s.Lat, Lon = s.Lon, Name = s.Name ?? at.Name };
            }
        }

        return [.. by.Values];
    }

    /// <summary>Two JSON texts with the same content (PostgreSQL's jsonb reorders keys and spacing; the comparison must not see that as a difference).</summary>
    public static bool SameJson(string a, string b)
    {
        try
        {
            using JsonDocument x = JsonDocument.Parse(a);
            using JsonDocument y = JsonDocument.Parse(b);
            return JsonElement.DeepEquals(x.RootElement, y.RootElement);
        }
        catch (JsonException)
        {
            return a == b;
        }
    }

    /// <summary>
    /// Runs of consecutive seq per (site, node, boot): within a run, seq minus its row number is constant
    /// ("gaps and islands"), so a few rows describe millions of readings.
    /// </summary>
    public static string Runs(string table, string siteParameter) => $"""
        SELECT site, node, boot, MIN(seq), MAX(seq) FROM (
            SELECT site, node, boot, seq, seq - ROW_NUMBER() OVER (PARTITION BY site, node, boot ORDER BY seq) AS run
            FROM {table} WHERE {siteParameter} IS NULL OR site = {siteParameter}) islands
        GROUP BY site, node, boot, run ORDER BY site, node, boot, MIN(seq)
        """;

    public static string Preview(byte[] body)
    {
        string text = Encoding.UTF8.GetString(body, 0, Math.Min(body.Length, 300));
        return new string(text.Select(c => char.IsControl(c) ? '·' : c).ToArray());
    }
}
