using EdgeSensors.Gateway.Store;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>Each node's last status document, as the node sent it (the storage side of the broker's status topic).</summary>
public sealed class NodeStatusStore(EdgeDatabase db) : INodeStatusStore
{
    /// <summary>Keeps a node's latest status (online or its last will).</summary>
    public Task<int> SaveAsync(string node, bool online, string payload, long updated, CancellationToken ct) =>
        db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT INTO node_status(node, online, payload, updated) VALUES($n, $o, $p, $u) ON CONFLICT(node) DO UPDATE SET online = $o, payload = $p, updated = $u";
            cmd.Parameters.AddWithValue("$n", node);
            cmd.Parameters.AddWithValue("$o", online ? 1 : 0);
            cmd.Parameters.AddWithValue("$p", payload);
            cmd.Parameters.AddWithValue("$u", updated);
            return cmd.ExecuteNonQuery();
        }, ct);

    /// <summary>A node's last status document and when it came, or null when it never reported.</summary>
    public (string Payload, long Updated)? Find(string node)
    {
        using SqliteConnection c = db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT payload, updated FROM node_status WHERE node = $n";
        cmd.Parameters.AddWithValue("$n", node);
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? (r.GetString(0), r.GetInt64(1)) : null;
    }
}
