using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// The SQLite store's space primitives (<see cref="IStoreSpace"/>) for the core's size policy (<see cref="StoreSizePolicy"/>):
/// deleting forwarded history, and dropping the oldest unforwarded readings with their gap records and counter in one
/// transaction, never one the uplink has taken to send.
/// </summary>
public sealed class StoreBudget(EdgeDatabase db, ReadingStore store) : IStoreSpace
{
    private const string Cursor = "(SELECT through FROM uplink_cursor WHERE id = 1)";
    private readonly EdgeDatabase _db = db;
    private readonly ReadingStore _store = store;

    public long UsedBytes() => _db.UsedBytes();

    public Task<int> DeleteForwardedBeforeAsync(long cutoffRx, int max, CancellationToken ct) =>
        _db.WriteAsync(c => Delete(c, $"DELETE FROM readings WHERE id IN (SELECT id FROM readings WHERE id <= {Cursor} ORDER BY id LIMIT {max}) AND rx < $cutoff", ("$cutoff", cutoffRx)), ct);

    public Task<int> DeleteOldestForwardedAsync(int max, CancellationToken ct) =>
        _db.WriteAsync(c => Delete(c, $"DELETE FROM readings WHERE id IN (SELECT id FROM readings WHERE id <= {Cursor} ORDER BY id LIMIT $n)", ("$n", max)), ct);

    public Task<int> DropOldestUnforwardedAsync(int max, string reason, CancellationToken ct) =>
        // Never what the uplink has taken to send: a reading both at the IOC and in a gap record would be reported dropped wrongly.
        _store.WhileNothingIsTakenAsync(inFlight => _db.WriteAsync(c => DropOldestUnforwarded(c, inFlight, max, reason), ct), ct);

    /// <summary>Total readings ever dropped by policy (persisted across restarts).</summary>
    public long DroppedTotal()
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT coalesce((SELECT value FROM counters WHERE name = 'dropped_store_full'), 0)";
        return Convert.ToInt64(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
    }

    private static int Delete(SqliteConnection c, string sql, (string Name, long Value) p)
    {
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = sql;
        cmd.Parameters.AddWithValue(p.Name, p.Value);
        return cmd.ExecuteNonQuery();
    }

    private static int DropOldestUnforwarded(SqliteConnection c, long inFlight, int max, string reason)
    {
        using SqliteTransaction tx = c.BeginTransaction();
        var victims = new List<(long Id, string Node, uint Boot, uint Seq)>();
        using (SqliteCommand select = c.CreateCommand())
        {
            select.Transaction = tx;
            select.CommandText = $"SELECT r.id, (SELECT k.id FROM node_keys k WHERE k.no = r.node), r.boot, r.seq FROM readings r WHERE r.id > {Cursor} AND r.id > $inflight ORDER BY r.id LIMIT $n";
            select.Parameters.AddWithValue("$inflight", inFlight);
            select.Parameters.AddWithValue("$n", max);
            using SqliteDataReader r = select.ExecuteReader();
            while (r.Read())
            {
                victims.Add((r.GetInt64(0), r.GetString(1), (uint)r.GetInt64(2), (uint)r.GetInt64(3)));
            }
        }

        if (victims.Count == 0)
        {
            return 0;
        }

        using (SqliteCommand delete = c.CreateCommand())
        {
            delete.Transaction = tx;
            delete.CommandText = $"DELETE FROM readings WHERE id > {Cursor} AND id > $inflight AND id <= $max";
            delete.Parameters.AddWithValue("$inflight", inFlight);
            delete.Parameters.AddWithValue("$max", victims[^1].Id);
            delete.ExecuteNonQuery();
        }

        // One gap record per run of consecutive seqs of one (node, boot).
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (var group in victims.GroupBy(v => (v.Node, v.Boot)))
        {
            uint[] seqs = group.Select(v => v.Seq).Order().ToArray();
            int start = 0;
            for (int i = 1; i <= seqs.Length; i++)
            {
                if (i == seqs.Length || seqs[i] != seqs[i - 1] + 1)
                {
                    OutboundLane.Insert(c, tx, new GapRecord(group.Key.Node, group.Key.Boot, seqs[start], seqs[i - 1], i - start, reason, now));
                    start = i;
                }
            }
        }

        using (SqliteCommand count = c.CreateCommand())
        {
            count.Transaction = tx;
            count.CommandText = "INSERT INTO counters(name, value) VALUES('dropped_' || $reason, $n) ON CONFLICT(name) DO UPDATE SET value = value + $n";
            count.Parameters.AddWithValue("$reason", reason);
            count.Parameters.AddWithValue("$n", victims.Count);
            count.ExecuteNonQuery();
        }

        tx.Commit();
        return victims.Count;
    }
}
