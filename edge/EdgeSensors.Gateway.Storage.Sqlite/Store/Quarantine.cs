using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>A small, bounded store of refused payloads for technicians to inspect (oldest removed first).</summary>
public sealed class Quarantine : IQuarantine
{
    private readonly EdgeDatabase _db;
    private readonly int _size;
    private readonly GatewayMetrics _metrics;

    public Quarantine(EdgeDatabase db, IOptions<StoreOptions> options, GatewayMetrics metrics)
    {
        _db = db;
        _size = options.Value.QuarantineSize;
        _metrics = metrics;
    }

    public async Task AddAsync(string? client, string topic, string reason, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (_size == 0)
        {
            return;
        }

        byte[] kept = payload.Length > 8192 ? payload[..8192].ToArray() : payload.ToArray();
        await _db.WriteAsync(c =>
        {
            using SqliteTransaction tx = c.BeginTransaction();
            using SqliteCommand cmd = c.CreateCommand();
            cmd.Transaction = tx;
            cmd.CommandText = "INSERT INTO quarantine(rx,client,topic,reason,payload) VALUES($rx,$client,$topic,$reason,$payload); "
                + "DELETE FROM quarantine WHERE id <= (SELECT max(id) FROM quarantine) - $size;";
            cmd.Parameters.AddWithValue("$rx", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            cmd.Parameters.AddWithValue("$client", (object?)client ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$topic", topic);
            cmd.Parameters.AddWithValue("$reason", reason);
            cmd.Parameters.AddWithValue("$payload", kept);
            cmd.Parameters.AddWithValue("$size", _size);
            cmd.ExecuteNonQuery();
            tx.Commit();
            return 0;
        }, ct).ConfigureAwait(false);
        _metrics.Quarantined.Inc();
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<QuarantinedPayload> List(int max)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id, rx, client, topic, reason, payload FROM quarantine ORDER BY id DESC LIMIT $n";
        cmd.Parameters.AddWithValue("$n", max);
        var list = new List<QuarantinedPayload>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            byte[] payload = r.IsDBNull(5) ? [] : (byte[])r[5];
            list.Add(new QuarantinedPayload(r.GetInt64(0), r.GetInt64(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3), r.GetString(4), Convert.ToBase64String(payload)));
        }

        return list;
    }
}
