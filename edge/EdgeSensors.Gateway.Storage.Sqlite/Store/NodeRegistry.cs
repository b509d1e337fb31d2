using EdgeSensors.Gateway.Store;
using System.Security.Cryptography;
using System.Text;
using EdgeSensors.Node.Protocol;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// Registered nodes and their credentials. Node secrets are generated here (128 random bits, never chosen by a
/// person), so a salted HMAC-SHA256 is enough to make a stolen database useless; a slow password hash would only
/// make a hundred nodes reconnecting after a power cut wait. Verification compares in constant time.
/// Plain secrets are returned once, to the caller that created them, and never stored or logged.
/// </summary>
public sealed class NodeRegistry : INodeDirectory
{
    private readonly EdgeDatabase _db;

    private const long CacheMilliseconds = 5000;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (NodeRecord? Record, long At)> _cache = new(StringComparer.Ordinal);

    public NodeRegistry(EdgeDatabase db)
    {
        _db = db;
    }

    /// <summary>A new random secret: 128 bits, as 4 groups of base32 for reading over the phone.</summary>
    public static string GenerateSecret()
    {
        const string alphabet = "abcdefghjkmnpqrstuvwxyz23456789"; // no i, l, o, 0, 1
        Span<byte> bytes = stackalloc byte[26];
        RandomNumberGenerator.Fill(bytes);
        var sb = new StringBuilder(32);
        for (int i = 0; i < bytes.Length; i++)
        {
            if (i > 0 && i % 5 == 0)
            {
                sb.Append('-');
            }

            sb.Append(alphabet[bytes[i] % alphabet.Length]);
        }

        return sb.ToString();
    }

    /// <summary>Registers a node; returns its secret, or null when the id is taken.</summary>
    public async Task<string?> AddAsync(string id, double? lat, double? lon, string? place, string? notes, CancellationToken ct)
    {
        if (!Topics.IsValidNodeId(id))
        {
            throw new ArgumentException("A node id is 1–32 lower-case letters, digits or '-', not starting with '-'.", nameof(id));
        }

        string secret = GenerateSecret();
        bool added = await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO nodes(id,secret_salt,secret_hash,lat,lon,place,notes,created) VALUES($id,$salt,$hash,$lat,$lon,$place,$notes,$created)";
            cmd.Parameters.AddWithValue("$id", id);
            AddSecretParameters(cmd, secret);
            cmd.Parameters.AddWithValue("$lat", (object?)lat ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$lon", (object?)lon ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$place", (object?)place ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$notes", (object?)notes ?? DBNull.Value);
            cmd.Parameters.AddWithValue("$created", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            return cmd.ExecuteNonQuery() == 1;
        }, ct).ConfigureAwait(false);
        _cache.TryRemove(id, out _);
        _count = (-1, 0);
        return added ? secret : null;
    }

    /// <summary>Replaces a node's secret; returns the new one, or null for an unknown node.</summary>
    public async Task<string?> RotateSecretAsync(string id, CancellationToken ct)
    {
        string secret = GenerateSecret();
        int n = await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE nodes SET secret_salt = $salt, secret_hash = $hash WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            AddSecretParameters(cmd, secret);
            return cmd.ExecuteNonQuery();
        }, ct).ConfigureAwait(false);
        _cache.TryRemove(id, out _);
        return n == 1 ? secret : null;
    }

    public async Task<bool> RemoveAsync(string id, CancellationToken ct)
    {
        bool removed = await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "DELETE FROM nodes WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            return cmd.ExecuteNonQuery() == 1;
        }, ct).ConfigureAwait(false);
        _cache.TryRemove(id, out _);
        _count = (-1, 0);
        return removed;
    }

    /// <summary>True when the node exists and the secret matches (constant-time).</summary>
    public bool Verify(string id, string? secret)
    {
        if (secret == null || !Topics.IsValidNodeId(id))
        {
            return false;
        }

        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT secret_salt, secret_hash FROM nodes WHERE id = $id";
        cmd.Parameters.AddWithValue("$id", id);
        using SqliteDataReader r = cmd.ExecuteReader();
        if (!r.Read())
        {
            // Same work for unknown ids, so timing does not reveal which ids exist.
            _ = Hash(new byte[16], secret);
            return false;
        }

        byte[] salt = (byte[])r[0];
        byte[] expected = (byte[])r[1];
        return CryptographicOperations.FixedTimeEquals(expected, Hash(salt, secret));
    }

    /// <summary>
    /// A node's registration. Asked on every publish and every uplink message, so kept in memory: dropped at once
    /// when this gateway changes the node, and after a few seconds in any case (the CLI may change the file beside it).
    /// </summary>
    public NodeRecord? Find(string id)
    {
        long now = Environment.TickCount64;
        if (_cache.TryGetValue(id, out (NodeRecord? Record, long At) hit) && now - hit.At < CacheMilliseconds)
        {
            return hit.Record;
        }

        List<NodeRecord> found = Query("WHERE id = $id", id);
        NodeRecord? record = found.Count > 0 ? found[0] : null;
        if (_cache.Count > 100_000)
        {
            _cache.Clear(); // never a memory sink for made-up ids
        }

        _cache[id] = (record, now);
        return record;
    }

    public IReadOnlyList<NodeRecord> List() => Query("ORDER BY id", null);

    private (int Count, long At) _count = (-1, 0);

    /// <summary>
    /// The number of registered nodes, kept in memory like <see cref="Find"/>: dropped when this gateway adds or removes
    /// one, and after a few seconds in any case. Issue 33: the relay's interlock asked List().Count on every committed
    /// batch — a full table read and 1,000 records per batch at 1,000 nodes, which doubled the CPU per reading.
    /// </summary>
    public int Count()
    {
        (int count, long at) = _count;
        long now = Environment.TickCount64;
        if (count >= 0 && now - at < CacheMilliseconds)
        {
            return count;
        }

        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*) FROM nodes";
        count = Convert.ToInt32(cmd.ExecuteScalar(), System.Globalization.CultureInfo.InvariantCulture);
        _count = (count, now);
        return count;
    }

    /// <summary>Stores the node's retained config document and its revision.</summary>
    public async Task<bool> SetConfigAsync(string id, string json, long revision, CancellationToken ct)
    {
        bool set = await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE nodes SET config = $config, config_rev = $rev WHERE id = $id";
            cmd.Parameters.AddWithValue("$id", id);
            cmd.Parameters.AddWithValue("$config", json);
            cmd.Parameters.AddWithValue("$rev", revision);
            return cmd.ExecuteNonQuery() == 1;
        }, ct).ConfigureAwait(false);
        _cache.TryRemove(id, out _);
        return set;
    }

    /// <summary>$salt and $hash for a new secret: a fresh 16-byte salt and the salted HMAC (the plain secret is never stored).</summary>
    private static void AddSecretParameters(SqliteCommand cmd, string secret)
    {
        byte[] salt = RandomNumberGenerator.GetBytes(16);
        cmd.Parameters.AddWithValue("$salt", salt);
        cmd.Parameters.AddWithValue("$hash", Hash(salt, secret));
    }

    private static byte[] Hash(byte[] salt, string secret) => HMACSHA256.HashData(salt, Encoding.UTF8.GetBytes(secret));

    private List<NodeRecord> Query(string where, string? id)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT id,lat,lon,place,notes,created,config,config_rev FROM nodes " + where;
        if (id != null)
        {
            cmd.Parameters.AddWithValue("$id", id);
        }

        var list = new List<NodeRecord>();
        using SqliteDataReader r = cmd.ExecuteReader();
        while (r.Read())
        {
            list.Add(new NodeRecord(
                r.GetString(0),
                r.IsDBNull(1) ? null : r.GetDouble(1),
                r.IsDBNull(2) ? null : r.GetDouble(2),
                r.IsDBNull(3) ? null : r.GetString(3),
                r.IsDBNull(4) ? null : r.GetString(4),
                r.GetInt64(5),
                r.IsDBNull(6) ? null : r.GetString(6),
                r.GetInt64(7)));
        }

        return list;
    }
}
