using System.Text.Json;
using System.Text;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Report;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Ioc.Ingest.Store;

/// <summary>
/// The embedded default: one SQLite file (WAL, synchronous=FULL), readings keyed by (site, node, boot, seq) so a
/// re-sent reading is ignored, not stored twice. For one machine; several instances need PostgreSQL.
/// </summary>
public sealed class SqliteIngestStore(string path) : IIngestStore
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
        """;

    private static readonly string[] ReadingParameters = ["$site", "$node", "$boot", "$seq", "$ts", "$rx", "$sync", "$q", "$nts", "$fields", "$now"];
    private readonly string _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString();
    private SqliteConnection? _db;

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

            if (m.Parked is { } k)
            {
                parked += await ExecAsync(tx, "INSERT INTO parked (at, instance, topic, reason, size, body) VALUES ($1, $2, $3, $4, $5, $6)", ct, now, instance, k.Topic, k.Reason, k.Size, k.Body).ConfigureAwait(false);
            }
        }

        foreach (((string site, string node), long n) in dupes)
        {
            await ExecAsync(tx, "INSERT INTO duplicates VALUES ($1, $2, $3) ON CONFLICT (site, node) DO UPDATE SET n = n + excluded.n", ct, site, node, n).ConfigureAwait(false);
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
        var list = new List<ConflictEntry>();
        await using SqliteCommand cmd = Db.CreateCommand();
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
        var runs = new List<SeqRun>();
        await using (SqliteCommand cmd = Db.CreateCommand())
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
        await using (SqliteCommand cmd = Db.CreateCommand())
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
        await using (SqliteCommand cmd = Db.CreateCommand())
        {
            cmd.CommandText = "SELECT site, node, n FROM duplicates";
            await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
            while (await r.ReadAsync(ct).ConfigureAwait(false))
            {
                dupes[(r.GetString(0), r.GetString(1))] = r.GetInt64(2);
            }
        }

        return new CompletenessInput(runs, gaps, dupes);
    }

    public async Task<int> PruneParkedAsync(DateTimeOffset before, CancellationToken ct)
    {
        await using SqliteCommand cmd = Db.CreateCommand();
        cmd.CommandText = "DELETE FROM parked WHERE at < $before";
        cmd.Parameters.AddWithValue("$before", before.ToUnixTimeSeconds());
        return await cmd.ExecuteNonQueryAsync(ct).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<ParkedEntry>> ParkedAsync(int limit, CancellationToken ct)
    {
        var list = new List<ParkedEntry>();
        await using SqliteCommand cmd = Db.CreateCommand();
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
        await using SqliteCommand cmd = Db.CreateCommand();
        cmd.CommandText = "SELECT (SELECT COUNT(*) FROM readings), (SELECT COALESCE(SUM(n), 0) FROM duplicates), (SELECT COUNT(*) FROM parked)";
        await using SqliteDataReader r = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
        await r.ReadAsync(ct).ConfigureAwait(false);
        return (r.GetInt64(0), r.GetInt64(1), r.GetInt64(2));
    }

    public async ValueTask DisposeAsync()
    {
        if (_db != null)
        {
            await _db.DisposeAsync().ConfigureAwait(false);
        }
    }
}

/// <summary>SQL both stores share (window functions: PostgreSQL, and SQLite since 3.25).</summary>
internal static class StoreSql
{
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
