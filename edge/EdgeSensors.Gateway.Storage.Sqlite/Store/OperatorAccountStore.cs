using EdgeSensors.Gateway.Store;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Data.Sqlite;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>
/// Operator accounts in the store. Tokens are 192 random bits made here (never chosen by a person), so a SHA-256 of
/// the token is enough to make a stolen database useless and lets a presented token be found by its hash.
/// </summary>
public sealed class OperatorAccountStore : IOperatorAccounts
{
    private readonly EdgeDatabase _db;

    public OperatorAccountStore(EdgeDatabase db)
    {
        _db = db;
        _db.WriteAsync(c =>
        {
            EdgeDatabase.Execute(c, """
                CREATE TABLE IF NOT EXISTS operators(
                    name TEXT PRIMARY KEY, role TEXT NOT NULL, token_hash BLOB NOT NULL UNIQUE,
                    created INTEGER NOT NULL, revoked INTEGER);
                """);
            return 0;
        }).GetAwaiter().GetResult();
    }

    public static byte[] Hash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    public async Task<string?> AddAsync(string name, string role, CancellationToken ct)
    {
        string token = "es_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        int added = await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "INSERT OR IGNORE INTO operators(name, role, token_hash, created) VALUES($n, $r, $h, $t)";
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$r", role);
            cmd.Parameters.AddWithValue("$h", Hash(token));
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            return cmd.ExecuteNonQuery();
        }, ct).ConfigureAwait(false);
        return added == 1 ? token : null;
    }

    public async Task<bool> RevokeAsync(string name, CancellationToken ct) =>
        await _db.WriteAsync(c =>
        {
            using SqliteCommand cmd = c.CreateCommand();
            cmd.CommandText = "UPDATE operators SET revoked = $t WHERE name = $n AND revoked IS NULL";
            cmd.Parameters.AddWithValue("$n", name);
            cmd.Parameters.AddWithValue("$t", DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            return cmd.ExecuteNonQuery();
        }, ct).ConfigureAwait(false) == 1;

    public IReadOnlyList<OperatorAccount> List()
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name, role, created, revoked FROM operators ORDER BY name";
        using SqliteDataReader r = cmd.ExecuteReader();
        var list = new List<OperatorAccount>();
        while (r.Read())
        {
            list.Add(new OperatorAccount(r.GetString(0), r.GetString(1), r.GetInt64(2), r.IsDBNull(3) ? null : r.GetInt64(3)));
        }

        return list;
    }

    public OperatorAccount? FindByToken(string token)
    {
        using SqliteConnection c = _db.OpenRead();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT name, role, created FROM operators WHERE token_hash = $h AND revoked IS NULL";
        cmd.Parameters.AddWithValue("$h", Hash(token));
        using SqliteDataReader r = cmd.ExecuteReader();
        return r.Read() ? new OperatorAccount(r.GetString(0), r.GetString(1), r.GetInt64(2), null) : null;
    }
}
