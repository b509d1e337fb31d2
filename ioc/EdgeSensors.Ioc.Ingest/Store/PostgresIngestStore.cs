using System.Collections.Concurrent;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Report;
using EdgeSensors.Ioc.Ingest.SensorThings;
using Npgsql;
using NpgsqlTypes;

namespace EdgeSensors.Ioc.Ingest.Store;

/// <summary>
/// PostgreSQL through Npgsql, shared by every ingest instance.
/// - Exactly once: <c>reading_ids</c> (site, node, boot, seq) is the primary key every instance inserts into with
///   ON CONFLICT DO NOTHING; only the ids that were new go on into <c>readings</c>, in the same statement and
///   transaction. Two instances given the same reading (a redelivery after a crash) store it once.
/// - <c>readings</c> is partitioned by month of the reading's time (RANGE on ts), so retention drops whole
///   partitions. A unique key on a partitioned table must contain the partition key, which the id does not — hence the
///   separate, narrow id table (24–40 bytes a row), which also answers the completeness report.
/// - A batch is one multi-row statement over arrays (unnest), not a statement per row.
/// </summary>
public sealed class PostgresIngestStore(string connectionString) : IIngestStore, IObservationStore
{
    private const long SchemaLock = 0x4544474553454e53; // "EDGESENS": one instance creates the schema at a time
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS reading_ids (site text NOT NULL, node text NOT NULL, boot bigint NOT NULL, seq bigint NOT NULL,
            PRIMARY KEY (site, node, boot, seq));
        CREATE TABLE IF NOT EXISTS readings (site text NOT NULL, node text NOT NULL, boot bigint NOT NULL, seq bigint NOT NULL,
            ts timestamptz NOT NULL, rx timestamptz NOT NULL, sync boolean NOT NULL, q text NOT NULL, node_ts bigint, fields jsonb NOT NULL,
            ingested_at timestamptz NOT NULL DEFAULT now()) PARTITION BY RANGE (ts);
        CREATE INDEX IF NOT EXISTS readings_site_node_ts ON readings (site, node, ts);
        CREATE TABLE IF NOT EXISTS alerts (site text NOT NULL, id text NOT NULL, state text NOT NULL, ts timestamptz NOT NULL, node text,
            kind text NOT NULL, level text NOT NULL, body jsonb NOT NULL, PRIMARY KEY (site, id, state, ts));
        CREATE TABLE IF NOT EXISTS gaps (site text NOT NULL, node text NOT NULL, boot bigint NOT NULL, seq_from bigint NOT NULL, seq_to bigint NOT NULL,
            count bigint NOT NULL, reason text NOT NULL, ts timestamptz NOT NULL, PRIMARY KEY (site, node, boot, seq_from, seq_to));
        CREATE TABLE IF NOT EXISTS parked (id bigserial PRIMARY KEY, at timestamptz NOT NULL DEFAULT now(), instance text NOT NULL,
            topic text NOT NULL, reason text NOT NULL, size integer NOT NULL, body bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS duplicates (site text NOT NULL, node text NOT NULL, n bigint NOT NULL, PRIMARY KEY (site, node));
        CREATE TABLE IF NOT EXISTS conflicts (id bigserial PRIMARY KEY, site text NOT NULL, node text NOT NULL, boot bigint NOT NULL, seq bigint NOT NULL,
            at timestamptz NOT NULL DEFAULT now(), instance text NOT NULL, stored_ts timestamptz, stored_fields jsonb,
            new_ts timestamptz NOT NULL, new_fields jsonb NOT NULL);
        CREATE TABLE IF NOT EXISTS stations (site text NOT NULL, node text NOT NULL, lat double precision, lon double precision, name text,
            first_ts bigint NOT NULL, last_ts bigint NOT NULL, PRIMARY KEY (site, node));
        CREATE TABLE IF NOT EXISTS marks (site text NOT NULL, node text NOT NULL, boot bigint NOT NULL, seq bigint NOT NULL,
            ts bigint NOT NULL, at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (site, node, boot));
        INSERT INTO stations (site, node, first_ts, last_ts)
            SELECT site, node, extract(epoch FROM MIN(ts))::bigint, extract(epoch FROM MAX(ts))::bigint FROM readings
            WHERE NOT EXISTS (SELECT 1 FROM stations) GROUP BY site, node ON CONFLICT DO NOTHING;
        """;

    private const string InsertReadings = """
        WITH incoming AS (
            SELECT * FROM unnest(@site, @node, @boot, @seq, @ts, @rx, @sync, @q, @nts, @fields)
                AS u(site, node, boot, seq, ts, rx, sync, q, node_ts, fields)),
        fresh AS (
            INSERT INTO reading_ids (site, node, boot, seq) SELECT site, node, boot, seq FROM incoming
            ON CONFLICT DO NOTHING RETURNING site, node, boot, seq),
        stored AS (
            INSERT INTO readings (site, node, boot, seq, ts, rx, sync, q, node_ts, fields)
            SELECT i.site, i.node, i.boot, i.seq, to_timestamp(i.ts), to_timestamp(i.rx), i.sync, i.q, i.node_ts, i.fields::jsonb
            FROM incoming i JOIN fresh f USING (site, node, boot, seq)
            RETURNING site, node, boot, seq)
        SELECT site, node, boot, seq FROM stored
        """;

    private readonly NpgsqlDataSource _source = NpgsqlDataSource.Create(connectionString);
    private readonly ConcurrentDictionary<(int Year, int Month), bool> _partitions = new();

    public async Task InitializeAsync(CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await db.BeginTransactionAsync(ct).ConfigureAwait(false);
        await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", db, tx))
        {
            await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await using (var cmd = new NpgsqlCommand(Schema, db, tx))
        {
            await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
    }

    /// <summary>Monthly partitions for the months a batch touches, created once, each in its own short transaction.</summary>
    private async Task EnsurePartitionsAsync(IEnumerable<long> times, CancellationToken ct)
    {
        foreach ((int year, int month) in times.Select(t => DateTimeOffset.FromUnixTimeSeconds(t)).Select(d => (d.Year, d.Month)).Distinct())
        {
            if (_partitions.ContainsKey((year, month)))
            {
                continue;
            }

            var from = new DateTimeOffset(year, month, 1, 0, 0, 0, TimeSpan.Zero);
            DateTimeOffset to = from.AddMonths(1);
            await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
            await using NpgsqlTransaction tx = await db.BeginTransactionAsync(ct).ConfigureAwait(false);
            await using (var lockCmd = new NpgsqlCommand($"SELECT pg_advisory_xact_lock({SchemaLock})", db, tx))
            {
                await lockCmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            string sql = $"CREATE TABLE IF NOT EXISTS readings_y{year:D4}m{month:D2} PARTITION OF readings FOR VALUES FROM ('{from:yyyy-MM-dd}T00:00:00Z') TO ('{to:yyyy-MM-dd}T00:00:00Z')";
            await using (var cmd = new NpgsqlCommand(sql, db, tx))
            {
                await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
            }

            await tx.CommitAsync(ct).ConfigureAwait(false);
            _partitions[(year, month)] = true;
        }
    }

    public async Task<CommitResult> CommitAsync(IReadOnlyList<DecodedMessage> batch, string instance, CancellationToken ct)
    {
        // Ids repeated inside one batch are duplicates too; the statement below must see each id once.
        var seen = new HashSet<(string, string, long, long)>();
        var rows = new List<ReadingRow>();
        var dupes = new Dictionary<(string Site, string Node), long>();
        foreach (ReadingRow r in batch.SelectMany(m => m.Readings))
        {
            if (seen.Add((r.Site, r.Node, r.Boot, r.Seq)))
            {
                rows.Add(r);
            }
            else
            {
                dupes[(r.Site, r.Node)] = dupes.GetValueOrDefault((r.Site, r.Node)) + 1;
            }
        }

        await EnsurePartitionsAsync(rows.Select(r => r.Ts), ct).ConfigureAwait(false);
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using NpgsqlTransaction tx = await db.BeginTransactionAsync(ct).ConfigureAwait(false);
        int stored = 0;
        var freshIds = new HashSet<(string, string, long, long)>();
        if (rows.Count > 0)
        {
            await using var cmd = new NpgsqlCommand(InsertReadings, db, tx);
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("site", rows.Select(r => r.Site).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("node", rows.Select(r => r.Node).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("boot", rows.Select(r => r.Boot).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("seq", rows.Select(r => r.Seq).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("ts", rows.Select(r => r.Ts).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<long[]>("rx", rows.Select(r => r.Rx).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<bool[]>("sync", rows.Select(r => r.Sync).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("q", rows.Select(r => r.Quality).ToArray()));
            cmd.Parameters.Add(new NpgsqlParameter<long?[]>("nts", rows.Select(r => r.NodeTs).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Bigint });
            cmd.Parameters.Add(new NpgsqlParameter<string[]>("fields", rows.Select(r => r.Fields).ToArray()));
            var fresh = new Dictionary<(string, string), long>();
            await using (NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false))
            {
                while (await r.ReadAsync(ct).ConfigureAwait(false))
                {
                    (string Site, string Node) key = (r.GetString(0), r.GetString(1));
                    fresh[key] = fresh.GetValueOrDefault(key) + 1;
                    freshIds.Add((key.Site, key.Node, r.GetInt64(2), r.GetInt64(3)));
                }
            }

            stored = (int)fresh.Values.Sum();
            foreach (var g in rows.GroupBy(r => (r.Site, r.Node)))
            {
                long d = g.Count() - fresh.GetValueOrDefault(g.Key);
                if (d > 0)
                {
                    dupes[g.Key] = dupes.GetValueOrDefault(g.Key) + d;
                }
            }
        }

        // Duplicates whose time or values differ from the stored reading are conflicts (issue 32): the stored one stays,
        // the other is kept aside with both. The stored reading is looked up at the incoming time (the index on
        // site, node, ts); not found there, it was stored at another time, which is a conflict too.
        int conflicts = 0;
        if (stored < rows.Count)
        {
            const string Conflicts = """
                WITH incoming AS (
                    SELECT * FROM unnest(@site, @node, @boot, @seq, @ts, @fields) AS u(site, node, boot, seq, ts, fields)),
                found AS (
                    SELECT i.*, r.ts AS stored_ts, r.fields AS stored_fields
                    FROM incoming i LEFT JOIN readings r
                      ON r.site = i.site AND r.node = i.node AND r.ts = to_timestamp(i.ts) AND r.boot = i.boot AND r.seq = i.seq)
                INSERT INTO conflicts (site, node, boot, seq, instance, stored_ts, stored_fields, new_ts, new_fields)
                SELECT site, node, boot, seq, @instance, stored_ts, stored_fields, to_timestamp(ts), fields::jsonb FROM found
                WHERE stored_ts IS NULL OR stored_fields <> fields::jsonb
                """;
            await using var c = new NpgsqlCommand(Conflicts, db, tx);
            List<ReadingRow> repeated = rows.Where(r => !freshIds.Contains((r.Site, r.Node, r.Boot, r.Seq))).ToList();
            c.Parameters.Add(new NpgsqlParameter<string[]>("site", repeated.Select(r => r.Site).ToArray()));
            c.Parameters.Add(new NpgsqlParameter<string[]>("node", repeated.Select(r => r.Node).ToArray()));
            c.Parameters.Add(new NpgsqlParameter<long[]>("boot", repeated.Select(r => r.Boot).ToArray()));
            c.Parameters.Add(new NpgsqlParameter<long[]>("seq", repeated.Select(r => r.Seq).ToArray()));
            c.Parameters.Add(new NpgsqlParameter<long[]>("ts", repeated.Select(r => r.Ts).ToArray()));
            c.Parameters.Add(new NpgsqlParameter<string[]>("fields", repeated.Select(r => r.Fields).ToArray()));
            c.Parameters.Add(new NpgsqlParameter<string>("instance", instance));
            conflicts = repeated.Count == 0 ? 0 : await c.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        int alerts = 0, gaps = 0, parked = 0;
        foreach (DecodedMessage m in batch)
        {
            if (m.Alert is { } a)
            {
                alerts += await ExecAsync(db, tx, "INSERT INTO alerts VALUES (@p1, @p2, @p3, to_timestamp(@p4), @p5, @p6, @p7, @p8::jsonb) ON CONFLICT DO NOTHING", ct, a.Site, a.Id, a.State, a.Ts, a.Node, a.Kind, a.Level, a.Json).ConfigureAwait(false);
            }

            if (m.Gap is { } g)
            {
                gaps += await ExecAsync(db, tx, "INSERT INTO gaps VALUES (@p1, @p2, @p3, @p4, @p5, @p6, @p7, to_timestamp(@p8)) ON CONFLICT DO NOTHING", ct, g.Site, g.Node, g.Boot, g.SeqFrom, g.SeqTo, g.Count, g.Reason, g.Ts).ConfigureAwait(false);
            }

            foreach (MarkRow mk in (m.Marks ?? []).OrderBy(x => x.Node, StringComparer.Ordinal).ThenBy(x => x.Boot))
            {
                await ExecAsync(db, tx, """
                    INSERT INTO marks (site, node, boot, seq, ts) VALUES (@p1, @p2, @p3, @p4, @p5) ON CONFLICT (site, node, boot) DO UPDATE SET
                        at = CASE WHEN excluded.seq > marks.seq THEN now() ELSE marks.at END, seq = GREATEST(marks.seq, excluded.seq), ts = GREATEST(marks.ts, excluded.ts)
                    """, ct, mk.Site, mk.Node, mk.Boot, mk.Seq, mk.Ts).ConfigureAwait(false);
            }

            if (m.Parked is { } k)
            {
                parked += await ExecAsync(db, tx, "INSERT INTO parked (instance, topic, reason, size, body) VALUES (@p1, @p2, @p3, @p4, @p5)", ct, instance, k.Topic, k.Reason, k.Size, k.Body).ConfigureAwait(false);
            }
        }

        // In (site, node) order, as every instance does, so two transactions never wait on each other's rows crosswise.
        foreach (((string site, string node), long n) in dupes.OrderBy(d => d.Key.Site, StringComparer.Ordinal).ThenBy(d => d.Key.Node, StringComparer.Ordinal))
        {
            await ExecAsync(db, tx, "INSERT INTO duplicates VALUES (@p1, @p2, @p3) ON CONFLICT (site, node) DO UPDATE SET n = duplicates.n + excluded.n", ct, site, node, n).ConfigureAwait(false);
        }

        List<StationUpdate> stations = StoreSql.Stations(batch);
        if (stations.Count > 0)
        {
            const string Stations = """
                INSERT INTO stations (site, node, lat, lon, name, first_ts, last_ts)
                SELECT * FROM unnest(@site, @node, @lat, @lon, @name, @first, @last)
                ON CONFLICT (site, node) DO UPDATE SET lat = COALESCE(excluded.lat, stations.lat), lon = COALESCE(excluded.lon, stations.lon),
                    name = COALESCE(excluded.name, stations.name), first_ts = LEAST(stations.first_ts, excluded.first_ts),
                    last_ts = GREATEST(stations.last_ts, excluded.last_ts)
                """;
            await using var st = new NpgsqlCommand(Stations, db, tx);
            st.Parameters.Add(new NpgsqlParameter<string[]>("site", stations.Select(u => u.Site).ToArray()));
            st.Parameters.Add(new NpgsqlParameter<string[]>("node", stations.Select(u => u.Node).ToArray()));
            st.Parameters.Add(new NpgsqlParameter<double?[]>("lat", stations.Select(u => u.Lat).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            st.Parameters.Add(new NpgsqlParameter<double?[]>("lon", stations.Select(u => u.Lon).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Double });
            st.Parameters.Add(new NpgsqlParameter<string?[]>("name", stations.Select(u => u.Name).ToArray()) { NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
            st.Parameters.Add(new NpgsqlParameter<long[]>("first", stations.Select(u => u.FirstTs).ToArray()));
            st.Parameters.Add(new NpgsqlParameter<long[]>("last", stations.Select(u => u.LastTs).ToArray()));
            await st.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
        }

        await tx.CommitAsync(ct).ConfigureAwait(false);
        return new CommitResult(stored, batch.Sum(m => m.Readings.Count) - stored, alerts, gaps, parked, conflicts);
    }

    private static async Task<int> ExecAsync(NpgsqlConnection db, NpgsqlTransaction tx, string sql, CancellationToken ct, params object?[] values)
    {
        await using var cmd = new NpgsqlCommand(sql, db, tx);
        for (int i = 0; i < values.Length; i++)
        {
            cmd.Parameters.AddWithValue($"p{i + 1}", values[i] ?? DBNull.Value);
        }

        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<CompletenessInput> CompletenessInputAsync(string? site, CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        var runs = new List<SeqRun>();
        await using (var cmd = new NpgsqlCommand(StoreSql.Runs("reading_ids", "@site::text"), db))
        {
            cmd.Parameters.Add(new NpgsqlParameter("site", NpgsqlDbType.Text) { Value = (object?)site ?? DBNull.Value });
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                runs.Add(new SeqRun(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4)));
            }
        }

        var gaps = new List<ReportedGap>();
        await using (var cmd = new NpgsqlCommand("SELECT site, node, boot, seq_from, seq_to, reason FROM gaps WHERE @site::text IS NULL OR site = @site::text", db))
        {
            cmd.Parameters.Add(new NpgsqlParameter("site", NpgsqlDbType.Text) { Value = (object?)site ?? DBNull.Value });
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                gaps.Add(new ReportedGap(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetString(5)));
            }
        }

        var dupes = new Dictionary<(string, string), long>();
        await using (var cmd = new NpgsqlCommand("SELECT site, node, n FROM duplicates", db))
        {
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                dupes[(r.GetString(0), r.GetString(1))] = r.GetInt64(2);
            }
        }

        var marks = new List<ForwardedMark>();
        await using (var cmd = new NpgsqlCommand("SELECT site, node, boot, seq, at FROM marks WHERE @site::text IS NULL OR site = @site::text", db))
        {
            cmd.Parameters.Add(new NpgsqlParameter("site", NpgsqlDbType.Text) { Value = (object?)site ?? DBNull.Value });
            await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                marks.Add(new ForwardedMark(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4)));
            }
        }

        return new CompletenessInput(runs, gaps, dupes, marks);
    }

    public async Task<int> PruneParkedAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("DELETE FROM parked WHERE at < @before", db);
        cmd.Parameters.AddWithValue("before", before.UtcDateTime);
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ConflictEntry>> ConflictsAsync(int limit, CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("""
            SELECT site, node, boot, seq, at, instance, COALESCE(extract(epoch FROM stored_ts)::bigint, -1), COALESCE(stored_fields::text, ''),
                   extract(epoch FROM new_ts)::bigint, new_fields::text
            FROM conflicts ORDER BY id DESC LIMIT @n
            """, db);
        cmd.Parameters.AddWithValue("n", limit);
        var list = new List<ConflictEntry>();
        await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ConflictEntry(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetFieldValue<DateTimeOffset>(4), r.GetString(5), r.GetInt64(6), r.GetString(7), r.GetInt64(8), r.GetString(9)));
        }

        return list;
    }

    public async Task<IReadOnlyList<ParkedEntry>> ParkedAsync(int limit, CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT id, at, instance, topic, reason, size, body FROM parked ORDER BY id DESC LIMIT @n", db);
        cmd.Parameters.AddWithValue("n", limit);
        var list = new List<ParkedEntry>();
        await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new ParkedEntry(r.GetInt64(0), r.GetFieldValue<DateTimeOffset>(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), StoreSql.Preview(r.GetFieldValue<byte[]>(6))));
        }

        return list;
    }

    public async Task<(long Readings, long Duplicates, long Parked)> TotalsAsync(CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT (SELECT COUNT(*) FROM reading_ids), (SELECT COALESCE(SUM(n), 0)::bigint FROM duplicates), (SELECT COUNT(*) FROM parked)", db);
        await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    public async Task<IReadOnlyList<Station>> StationsAsync(CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand("SELECT site, node, lat, lon, name, first_ts, last_ts FROM stations ORDER BY site, node", db);
        var list = new List<Station>();
        await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(new Station(r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetDouble(2), r.IsDBNull(3) ? null : r.GetDouble(3),
                r.IsDBNull(4) ? null : r.GetString(4), r.GetInt64(5), r.GetInt64(6)));
        }

        return list;
    }

    private const string ReadingColumns = "site, node, boot, seq, extract(epoch FROM ts)::bigint, extract(epoch FROM rx)::bigint, sync, q, node_ts, fields::text";

    public async Task<IReadOnlyList<ReadingRow>> ScanAsync(ReadingScan scan, ScanCursor? after, int limit, CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand { Connection = db };
        var where = new List<string>();
        void Add(string condition, string name, object value)
        {
            where.Add(condition);
            cmd.Parameters.AddWithValue(name, value);
        }

        if (scan.Site != null)
        {
            Add("site = @site", "site", scan.Site);
        }

        if (scan.Node != null)
        {
            Add("node = @node", "node", scan.Node);
        }

        if (scan.FromTs is long from)
        {
            Add("ts >= to_timestamp(@from)", "from", from);
        }

        if (scan.ToTs is long to)
        {
            Add("ts <= to_timestamp(@to)", "to", to);
        }

        if (scan.Field != null)
        {
            Add("fields ? @field", "field", StaCatalog.Property(scan.Field).Field);
        }

        string dir = scan.Descending ? "DESC" : "ASC";
        if (after != null)
        {
            where.Add($"(ts, site, node, boot, seq) {(scan.Descending ? "<" : ">")} (to_timestamp(@cts), @cs, @cn, @cb, @cq)");
            cmd.Parameters.AddWithValue("cts", after.Ts);
            cmd.Parameters.AddWithValue("cs", after.Site);
            cmd.Parameters.AddWithValue("cn", after.Node);
            cmd.Parameters.AddWithValue("cb", after.Boot);
            cmd.Parameters.AddWithValue("cq", after.Seq);
        }

        cmd.CommandText = $"""
            SELECT {ReadingColumns} FROM readings
            {(where.Count > 0 ? "WHERE " + string.Join(" AND ", where) : string.Empty)}
            ORDER BY ts {dir}, site {dir}, node {dir}, boot {dir}, seq {dir} LIMIT @limit
            """;
        cmd.Parameters.AddWithValue("limit", limit);
        var list = new List<ReadingRow>();
        await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        while (await r.ReadAsync(ct).ConfigureAwait(false))
        {
            list.Add(ReadRow(r));
        }

        return list;
    }

    public async Task<ReadingRow?> ReadingAsync(string site, string node, long boot, long seq, CancellationToken ct)
    {
        await using NpgsqlConnection db = await _source.OpenConnectionAsync(ct).ConfigureAwait(false);
        await using var cmd = new NpgsqlCommand($"SELECT {ReadingColumns} FROM readings WHERE site = @s AND node = @n AND boot = @b AND seq = @q", db);
        cmd.Parameters.AddWithValue("s", site);
        cmd.Parameters.AddWithValue("n", node);
        cmd.Parameters.AddWithValue("b", boot);
        cmd.Parameters.AddWithValue("q", seq);
        await using NpgsqlDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        return await r.ReadAsync(ct).ConfigureAwait(false) ? ReadRow(r) : null;
    }

    private static ReadingRow ReadRow(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetInt64(2), r.GetInt64(3), r.GetInt64(4), r.GetInt64(5), r.GetBoolean(6), r.GetString(7),
            r.IsDBNull(8) ? null : r.GetInt64(8), r.GetString(9));

    public ValueTask DisposeAsync() => _source.DisposeAsync();
}
