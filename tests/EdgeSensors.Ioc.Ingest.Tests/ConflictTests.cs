using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Store;
using EdgeSensors.Ioc.Ingest.Tests.Fixtures;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>
/// Issue 32: a reading id that arrives again with other values is a conflict — the stored reading stays, the other is
/// kept aside with both and counted — never a silent "first write wins"; the same values again are a plain duplicate.
/// </summary>
public sealed class ConflictTests
{
    private const long Ts = 1767225600;

    private static DecodedMessage One(long seq, long ts, string fields) =>
        new([new ReadingRow("hg-a", "n-1", 7, seq, ts, ts, true, "good", null, fields)], null, null, null);

    private static async Task CheckAsync(IIngestStore store)
    {
        await store.InitializeAsync(CancellationToken.None);

        // A forger's copy of seq 2 arrives first; the real one later. And seq 1 is simply re-sent.
        CommitResult first = await store.CommitAsync([One(1, Ts, """{"salinity_ppt":1.5}"""), One(2, Ts + 60, """{"salinity_ppt":0.1}""")], "a", CancellationToken.None);
        Assert.Equal(2, first.Stored);
        CommitResult again = await store.CommitAsync([One(1, Ts, """{ "salinity_ppt" : 1.5 }"""), One(2, Ts + 60, """{"salinity_ppt":3.2}""")], "b", CancellationToken.None);
        Assert.Equal(0, again.Stored);
        Assert.Equal(2, again.Duplicates);
        Assert.Equal(1, again.Conflicts); // seq 1 came again the same (spacing aside): a plain duplicate

        IReadOnlyList<ConflictEntry> conflicts = await store.ConflictsAsync(10, CancellationToken.None);
        ConflictEntry c = Assert.Single(conflicts);
        Assert.Equal(("hg-a", "n-1", 7L, 2L), (c.Site, c.Node, c.Boot, c.Seq));
        Assert.Contains("0.1", c.StoredFields, StringComparison.Ordinal);
        Assert.Contains("3.2", c.NewFields, StringComparison.Ordinal);
        Assert.Equal("b", c.Instance);

        // Another time for a stored id is a conflict too.
        CommitResult moved = await store.CommitAsync([One(1, Ts + 3600, """{"salinity_ppt":1.5}""")], "c", CancellationToken.None);
        Assert.Equal(1, moved.Conflicts);
        Assert.Equal(2, (await store.ConflictsAsync(10, CancellationToken.None)).Count);
    }

    [Fact]
    public async Task SQLite_keeps_a_conflict_aside_and_a_plain_resend_is_a_duplicate()
    {
        using var dir = new TempDir();
        await using var store = new SqliteIngestStore(Path.Combine(dir.Path, "ingest.db"));
        await CheckAsync(store);
    }

    [PostgresFact]
    public async Task PostgreSQL_keeps_a_conflict_aside_and_a_plain_resend_is_a_duplicate()
    {
        await using var pg = new PostgresServer();
        await pg.StartAsync();
        await using var store = new PostgresIngestStore(pg.ConnectionString);
        await CheckAsync(store);
    }
}
