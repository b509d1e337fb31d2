using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Sms;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>SMS subscriptions and the text log in the gateway's store (schema 4).</summary>
public sealed class SmsStore(EdgeDatabase db) : ISmsStore
{
    private const string Columns = "id, phone, node, kind, text, segments, state, reason, reference, created, due, updated";

    public Task<bool> SubscribeAsync(SmsSubscription subscription, CancellationToken ct) => db.WriteAsync(c =>
    {
        using SqliteCommand exists = c.CreateCommand();
        exists.CommandText = "SELECT COUNT(*) FROM sms_subscriptions WHERE phone = $p AND node = $n";
        exists.Parameters.AddWithValue("$p", subscription.Phone);
        exists.Parameters.AddWithValue("$n", subscription.Node);
        bool isNew = Convert.ToInt64(exists.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture) == 0;
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = """
            INSERT INTO sms_subscriptions(phone, node, profile, consent_at, source) VALUES($p, $n, $f, $t, $s)
            ON CONFLICT(phone, node) DO UPDATE SET profile = excluded.profile, consent_at = excluded.consent_at, source = excluded.source
            """;
        cmd.Parameters.AddWithValue("$p", subscription.Phone);
        cmd.Parameters.AddWithValue("$n", subscription.Node);
        cmd.Parameters.AddWithValue("$f", subscription.Profile);
        cmd.Parameters.AddWithValue("$t", subscription.ConsentAt);
        cmd.Parameters.AddWithValue("$s", subscription.Source);
        cmd.ExecuteNonQuery();
        return isNew;
    }, ct);

    public Task<int> CancelAsync(string phone, string? node, CancellationToken ct) => db.WriteAsync(c =>
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = node == null ? "DELETE FROM sms_subscriptions WHERE phone = $p" : "DELETE FROM sms_subscriptions WHERE phone = $p AND node = $n";
        cmd.Parameters.AddWithValue("$p", phone);
        cmd.Parameters.AddWithValue("$n", (object?)node ?? DBNull.Value);
        return cmd.ExecuteNonQuery();
    }, ct);

    public IReadOnlyList<SmsSubscription> Subscriptions(string? node = null, string? phone = null)
    {
        using SqliteConnection c = db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT phone, node, profile, consent_at, source FROM sms_subscriptions WHERE ($n IS NULL OR node = $n) AND ($p IS NULL OR phone = $p) ORDER BY node, phone";
        cmd.Parameters.AddWithValue("$n", (object?)node ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$p", (object?)phone ?? DBNull.Value);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<SmsSubscription>();
        while (r.Read())
        {
            list.Add(new SmsSubscription(r.GetString(0), r.GetString(1), r.GetString(2), r.GetInt64(3), r.GetString(4)));
        }

        return list;
    }

    public Task<long> EnqueueAsync(string phone, string? node, string kind, string text, int segments, string state, string? reason, long dueAt, CancellationToken ct) => db.WriteAsync(c =>
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "INSERT INTO sms_messages(phone, node, kind, text, segments, state, reason, created, due, updated) VALUES($p, $n, $k, $t, $g, $s, $r, $now, $due, $now) RETURNING id";
        cmd.Parameters.AddWithValue("$p", phone);
        cmd.Parameters.AddWithValue("$n", (object?)node ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$k", kind);
        cmd.Parameters.AddWithValue("$t", text);
        cmd.Parameters.AddWithValue("$g", segments);
        cmd.Parameters.AddWithValue("$s", state);
        cmd.Parameters.AddWithValue("$r", (object?)reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$now", now);
        cmd.Parameters.AddWithValue("$due", dueAt);
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }, ct);

    // Danger first, then warnings, all-clears, answers, the rest; oldest first within each (issue 29: a farmer's danger
    // text waited behind 345 answers to forged senders).
    public IReadOnlyList<SmsMessage> Due(long now, int limit) => Query(
        $"SELECT {Columns} FROM sms_messages WHERE state = 'queued' AND due <= $a ORDER BY CASE kind WHEN 'danger' THEN 0 WHEN 'warning' THEN 1 WHEN 'clear' THEN 2 WHEN 'reply' THEN 3 ELSE 4 END, id LIMIT $lim", now, null, limit);

    public IReadOnlyList<SmsMessage> InState(string state, int limit) => Query($"SELECT {Columns} FROM sms_messages WHERE state = $b ORDER BY id LIMIT $lim", 0, state, limit);

    public IReadOnlyList<SmsMessage> Recent(string? node, int limit) => Query($"SELECT {Columns} FROM sms_messages WHERE ($b IS NULL OR node = $b) ORDER BY id DESC LIMIT $lim", 0, node, limit);

    private List<SmsMessage> Query(string sql, long a, string? b, int limit)
    {
        using SqliteConnection c = db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue("$a", a);
        cmd.Parameters.AddWithValue("$b", (object?)b ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$lim", limit);
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<SmsMessage>();
        while (r.Read())
        {
            list.Add(new SmsMessage(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), r.GetString(6),
                r.IsDBNull(7) ? null : r.GetString(7), r.IsDBNull(8) ? null : r.GetString(8), r.GetInt64(9), r.GetInt64(10), r.GetInt64(11)));
        }

        return list;
    }

    public Task UpdateAsync(long id, string state, string? reason, string? reference, CancellationToken ct) => db.WriteAsync(c =>
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "UPDATE sms_messages SET state = $s, reason = COALESCE($r, reason), reference = COALESCE($f, reference), updated = $now WHERE id = $id";
        cmd.Parameters.AddWithValue("$s", state);
        cmd.Parameters.AddWithValue("$r", (object?)reason ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$f", (object?)reference ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$now", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        cmd.Parameters.AddWithValue("$id", id);
        return cmd.ExecuteNonQuery();
    }, ct);

    public int CountSince(string phone, long since, IReadOnlyCollection<string> kinds)
    {
        using SqliteConnection c = db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        var names = kinds.Select((k, i) => $"$k{i}").ToList();
        cmd.CommandText = $"SELECT COUNT(*) FROM sms_messages WHERE phone = $p AND created >= $t AND state <> 'suppressed' AND kind IN ({string.Join(',', names)})";
        cmd.Parameters.AddWithValue("$p", phone);
        cmd.Parameters.AddWithValue("$t", since);
        int i = 0;
        foreach (string k in kinds)
        {
            cmd.Parameters.AddWithValue($"$k{i++}", k);
        }

        return Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
