using EdgeSensors.Gateway.Store;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// Durable queue of alerts and gap records for the IOC. The uplink sends these before any readings backlog
/// (the priority lane) and marks them sent only after the IOC broker acknowledged them.
/// </summary>
public sealed class OutboundLane : IOutboundLane
{

    private readonly EdgeDatabase _db;

    public OutboundLane(EdgeDatabase db)
    {
        _db = db;
    }

    /// <summary>Raised when something was queued (wakes the uplink).</summary>
    public event Action? Queued;

    public async Task EnqueueAsync(OutboundRecord record, CancellationToken ct)
    {
        await _db.WriteAsync(c =>
        {
            Insert(c, null, record);
            return 0;
        }, ct).ConfigureAwait(false);
        Queued?.Invoke();
    }

    /// <summary>Oldest unsent first.</summary>
    public IReadOnlyList<OutboundMessage> Pending(int max)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, kind, node, payload FROM outbound WHERE sent = 0 ORDER BY id LIMIT $n";
        cmd.Parameters.AddWithValue("$n", max);
        var list = new List<OutboundMessage>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new OutboundMessage(r.GetInt64(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3)));
        }

        return list;
    }

    public Task MarkSentAsync(long id, CancellationToken ct) =>
        _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE outbound SET sent = 1 WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery();
        }, ct);

    /// <summary>Queues inside a transaction the caller already holds (the budget's drop and its gap record commit together).</summary>
    internal static void Insert(SqliteConnection c, SqliteTransaction? tx, OutboundRecord record) => Insert(c, tx, record.Kind, record.Node, record.ToStored());

    private static void Insert(SqliteConnection c, SqliteTransaction? tx, string kind, string? node, string payload)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.Transaction = tx;
        cmd.CommandText = "INSERT INTO outbound(kind, node, payload, created) VALUES($kind, $node, $payload, $created)";
        cmd.Parameters.AddWithValue("$kind", kind);
        cmd.Parameters.AddWithValue("$node", (object?)node ?? DBNull.Value);
        cmd.Parameters.AddWithValue("$payload", payload);
        cmd.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
        cmd.ExecuteNonQuery();
    }

    internal void RaiseQueued() => Queued?.Invoke();
}
