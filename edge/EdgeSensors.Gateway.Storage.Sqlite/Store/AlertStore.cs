using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Alerts;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>Alerts in the gateway's database: raised, escalated, acknowledged by an operator, cleared — each step kept.</summary>
public sealed class AlertStore : IAlertStore
{
    private readonly EdgeDatabase _db;

    public AlertStore(EdgeDatabase db)
    {
        _db = db;
        _db.WriteAsync(c =>
        {
            EdgeDatabase.Execute(c, """
                CREATE TABLE IF NOT EXISTS alerts(
                    id INTEGER PRIMARY KEY, node TEXT NOT NULL, kind TEXT NOT NULL, level TEXT NOT NULL, state TEXT NOT NULL,
                    profile TEXT, value REAL NOT NULL, threshold REAL NOT NULL, raised_at INTEGER NOT NULL, updated_at INTEGER NOT NULL,
                    cleared_at INTEGER, acked_at INTEGER, acked_by TEXT, msg_vi TEXT NOT NULL, msg_en TEXT NOT NULL);
                CREATE INDEX IF NOT EXISTS alerts_active ON alerts(state, node, kind);
                """);
            return 0;
        }).GetAwaiter().GetResult();
    }

    /// <summary>Applies a transition; returns the alert as it now stands.</summary>
    public Task<AlertRecord> ApplyAsync(AlertTransition t, string msgVi, string msgEn, CancellationToken ct) =>
        _db.WriteAsync(c =>
        {
            string kind = AlertKinds.WireName(t.Kind);
            long? id = null;
            using (SqliteCommand find = c.CreateCommand())
            {
                find.CommandText = "SELECT id FROM alerts WHERE state = 'active' AND node = $n AND kind = $k";
                find.Parameters.AddWithValue("$n", t.Node);
                find.Parameters.AddWithValue("$k", kind);
                id = find.ExecuteScalar() as long?;
            }

            using SqliteCommand cmd = c.CreateCommand();
            if (id == null && t.To != AlertLevel.None)
            {
                cmd.CommandText = "INSERT INTO alerts(node,kind,level,state,profile,value,threshold,raised_at,updated_at,msg_vi,msg_en) VALUES($n,$k,$l,'active',$p,$v,$t,$ts,$ts,$vi,$en) RETURNING id";
            }
            else if (id != null && t.To != AlertLevel.None)
            {
                // Escalation or de-escalation within the episode: a new level is a new message, and needs a new acknowledgement.
                cmd.CommandText = "UPDATE alerts SET level=$l, value=$v, threshold=$t, updated_at=$ts, msg_vi=$vi, msg_en=$en, acked_at=NULL, acked_by=NULL WHERE id=$id RETURNING id";
            }
            else if (id != null)
            {
                cmd.CommandText = "UPDATE alerts SET state='cleared', value=$v, updated_at=$ts, cleared_at=$ts, msg_vi=$vi, msg_en=$en WHERE id=$id RETURNING id";
            }
            else
            {
                throw new InvalidOperationException($"no active {kind} alert of {t.Node} to clear");
            }

            cmd.Parameters.AddWithValue("$id", (object?)id ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$n", t.Node);
            cmd.Parameters.AddWithValue("$k", kind);
            cmd.Parameters.AddWithValue("$l", AlertKinds.WireName(t.To == AlertLevel.None ? t.From : t.To));
            cmd.Parameters.AddWithValue("$p", (object?)t.ProfileId ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$v", double.IsFinite(t.Value) ? t.Value : 0);
            cmd.Parameters.AddWithValue("$t", double.IsFinite(t.Threshold) ? t.Threshold : 0);
            cmd.Parameters.AddWithValue("$ts", t.Ts);
            cmd.Parameters.AddWithValue("$vi", msgVi);
            cmd.Parameters.AddWithValue("$en", msgEn);
            long alertId = (long)cmd.ExecuteScalar()!;
            return Get(c, alertId)!;
        }, ct);

    /// <summary>Records an operator's acknowledgement; null when there is no such active, unacknowledged alert.</summary>
    public Task<AlertRecord?> AcknowledgeAsync(long id, string by, long ts, CancellationToken ct) =>
        _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE alerts SET acked_at = $ts, acked_by = $by WHERE id = $id AND state = 'active' AND acked_at IS NULL";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$by", by);
            cmd.Parameters.AddWithValue("$ts", ts);
            return cmd.ExecuteNonQuery() == 1 ? Get(c, id) : null;
        }, ct);

    public IReadOnlyList<AlertRecord> List(bool activeOnly, int limit, string? node = null)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM alerts WHERE ($active = 0 OR state = 'active') AND ($node IS NULL OR node = $node) ORDER BY updated_at DESC, id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$active", activeOnly ? 1 : 0);
        cmd.Parameters.AddWithValue("$node", (object?)node ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$n", limit);
        return Read(cmd);
    }

    private static AlertRecord? Get(SqliteConnection c, long id)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT * FROM alerts WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        return Read(cmd).FirstOrDefault();
    }

    private static List<AlertRecord> Read(SqliteCommand cmd)
    {
        var list = new List<AlertRecord>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new AlertRecord(
                r.GetInt64(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetString(4), r.IsDBNull(5) ? null : r.GetString(5),
                r.GetDouble(6), r.GetDouble(7), r.GetInt64(8), r.GetInt64(9), r.IsDBNull(10) ? null : r.GetInt64(10),
                r.IsDBNull(11) ? null : r.GetInt64(11), r.IsDBNull(12) ? null : r.GetString(12), r.GetString(13), r.GetString(14)));
        }

        return list;
    }
}
