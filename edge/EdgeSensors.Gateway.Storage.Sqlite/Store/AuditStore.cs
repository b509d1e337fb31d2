using EdgeSensors.Gateway.Store;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// The audit trail, append-only from the gateway's side, in its own file beside the store (audit.db, owner-only like
/// the store): outside the readings' size budget, so no request that writes an audit row can cost a reading (issue 29:
/// a flood of wrong tokens filled the store with audit rows and the size policy dropped unforwarded readings). Kept to
/// the newest <see cref="MaxRows"/> rows (about 20 MB); every row also went to the SOC as it was written. Rows an older
/// gateway kept in the store itself are moved here at start.
/// </summary>
public sealed class AuditStore : IAuditLog, IDisposable
{
    /// <summary>Rows kept by default.</summary>
    public const int DefaultMaxRows = 100_000;

    private readonly EdgeDatabase _db;
    private long _sincePrune;

    public AuditStore(EdgeDatabase store, int maxRows = DefaultMaxRows)
    {
        MaxRows = maxRows;
        _db = new EdgeDatabase(System.IO.Path.Combine(System.IO.Path.GetDirectoryName(store.Path)!, "audit.db"));
        const string Table = """
            CREATE TABLE IF NOT EXISTS audit(
                id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail TEXT);
            """;
        _db.WriteAsync(c =>
        {
            EdgeDatabase.Execute(c, Table);
            return 0;
        }).GetAwaiter().GetResult();
        MoveOldRows(store);
    }

    /// <summary>Rows kept: older ones are deleted as new ones come.</summary>
    public int MaxRows { get; }

    /// <summary>The audit file.</summary>
    public string Path => _db.Path;

    public void Dispose() => _db.Dispose();

    public event Action<AuditEntry>? Recorded;

    public async Task RecordAsync(string account, string action, string? target, string? detail, CancellationToken ct)
    {
        long ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long id = await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO audit(ts, account, action, target, detail) VALUES($ts, $a, $x, $t, $d) RETURNING id";
            cmd.Parameters.AddWithValue("$ts", ts);
            cmd.Parameters.AddWithValue("$a", account);
            cmd.Parameters.AddWithValue("$x", action);
            cmd.Parameters.AddWithValue("$t", (object?)target ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$d", (object?)detail ?? DBNull.Value);
            return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        }, ct).ConfigureAwait(false);
        Recorded?.Invoke(new AuditEntry(id, ts, account, action, target, detail));
        if (Interlocked.Increment(ref _sincePrune) >= Math.Max(1, MaxRows / 100))
        {
            Interlocked.Exchange(ref _sincePrune, 0);
            await _db.WriteAsync(c =>
            {
                using SqliteCommand prune = c.CreateCommand();
                prune.CommandText = "DELETE FROM audit WHERE id <= (SELECT max(id) FROM audit) - $keep";
                prune.Parameters.AddWithValue("$keep", MaxRows);
                return prune.ExecuteNonQuery();
            }, ct).ConfigureAwait(false);
        }
    }

    /// <summary>Moves audit rows an older gateway kept in the store into the audit file (once), oldest first.</summary>
    private void MoveOldRows(EdgeDatabase store)
    {
        using (SqliteConnection read = store.OpenRead())
        {
            if (EdgeDatabase.Scalar(read, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'audit';") == 0)
            {
                return;
            }
        }

        var rows = new List<AuditEntry>();
        using (SqliteConnection read = store.OpenRead())
        using (SqliteCommand cmd = read.CreateCommand())
        {
            cmd.CommandText = "SELECT id, ts, account, action, target, detail FROM audit ORDER BY id";
            using SqliteDataReader r = cmd.ExecuteReader();
            while (r.Read())
            {
                rows.Add(new AuditEntry(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
            }
        }

        _db.WriteAsync(c =>
        {
            using SqliteTransaction tx = c.BeginTransaction();
            foreach (AuditEntry e in rows)
            {
                using SqliteCommand cmd = c.CreateCommand();
                cmd.Transaction = tx;
                cmd.CommandText = "INSERT INTO audit(ts, account, action, target, detail) VALUES($ts, $a, $x, $t, $d)";
                cmd.Parameters.AddWithValue("$ts", e.Ts);
                cmd.Parameters.AddWithValue("$a", e.Account);
                cmd.Parameters.AddWithValue("$x", e.Action);
                cmd.Parameters.AddWithValue("$t", (object?)e.Target ?? DBNull.Value);
                cmd.Parameters.AddWithValue("$d", (object?)e.Detail ?? DBNull.Value);
                cmd.ExecuteNonQuery();
            }

            tx.Commit();
            return 0;
        }).GetAwaiter().GetResult();

        // Only after the copy is durable: the store's table goes.
        store.WriteAsync(c =>
        {
            EdgeDatabase.Execute(c, "DROP TABLE audit;");
            return 0;
        }).GetAwaiter().GetResult();
    }

    public IReadOnlyList<AuditEntry> List(int limit, string? account = null)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = account == null
            ? "SELECT id, ts, account, action, target, detail FROM audit ORDER BY id DESC LIMIT $n"
            : "SELECT id, ts, account, action, target, detail FROM audit WHERE account = $a ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", limit);
        if (account != null)
        {
            cmd.Parameters.AddWithValue("$a", account);
        }

        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<AuditEntry>();
        while (r.Read())
        {
            list.Add(new AuditEntry(r.GetInt64(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.IsDBNull(4) ? null : r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5)));
        }

        return list;
    }
}
