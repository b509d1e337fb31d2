using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Store;

/// <summary>The audit trail in the store: append-only from the gateway's side (there is no delete).</summary>
public sealed class AuditStore : IAuditLog
{
    private readonly EdgeDatabase _db;

    public AuditStore(EdgeDatabase db)
    {
        _db = db;
        _db.WriteAsync(c =>
        {
            EdgeDatabase.Execute(c, """
                CREATE TABLE IF NOT EXISTS audit(
                    id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail TEXT);
                """);
            return 0;
        }).GetAwaiter().GetResult();
    }

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
