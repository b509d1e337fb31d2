using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Tests.Store;

/// <summary>
/// Issue 29: audit rows were written into the store and counted against the readings' size cap, and never pruned. The
/// audit has its own file now, kept to its newest rows, and a store that still has an audit table hands it over.
/// </summary>
public sealed class AuditFileTests
{
    [Fact]
    public async Task Audit_rows_do_not_grow_the_store_and_are_kept_to_the_newest()
    {
        using var dir = new TempDir();
        using var store = new EdgeDatabase(Path.Combine(dir.Path, "edgesensors.db"));
        long before = store.UsedBytes();
        using var audit = new AuditStore(store, maxRows: 1000);
        for (int i = 0; i < 5000; i++)
        {
            await audit.RecordAsync("-", "login_failed", "127.0.0.1", "wrong token " + i, CancellationToken.None);
        }

        Assert.Equal(before, store.UsedBytes());
        Assert.Equal(Path.Combine(dir.Path, "audit.db"), audit.Path);
        IReadOnlyList<AuditEntry> kept = audit.List(10_000);
        Assert.InRange(kept.Count, 1000, 1000 + 10);
        Assert.Equal("wrong token 4999", kept[0].Detail);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(audit.Path));
        }
    }

    [Fact]
    public async Task An_older_store_s_audit_rows_move_to_the_audit_file()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "edgesensors.db");
        using (var old = new EdgeDatabase(path))
        {
            await old.WriteAsync(c =>
            {
                using SqliteCommand cmd = c.CreateCommand();
                cmd.CommandText = """
                    CREATE TABLE audit(id INTEGER PRIMARY KEY, ts INTEGER NOT NULL, account TEXT NOT NULL, action TEXT NOT NULL, target TEXT, detail TEXT);
                    INSERT INTO audit(ts, account, action, target, detail) VALUES (1, 'admin', 'node_add', 'hg-1', NULL), (2, 'admin', 'node_remove', 'hg-1', NULL);
                    """;
                return cmd.ExecuteNonQuery();
            });
        }

        using var store = new EdgeDatabase(path);
        using var audit = new AuditStore(store);
        Assert.Equal(["node_remove", "node_add"], audit.List(10).Select(e => e.Action).ToArray());
        using SqliteConnection read = store.OpenRead();
        using SqliteCommand check = read.CreateCommand();
        check.CommandText = "SELECT count(*) FROM sqlite_master WHERE name = 'audit'";
        Assert.Equal(0L, (long)check.ExecuteScalar()!);
    }
}
