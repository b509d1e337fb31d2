using System.Text;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Report;
using EdgeSensors.Ioc.Ingest.Store;
using EdgeSensors.Ioc.Ingest.Tests.Fixtures;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>The PostgreSQL store against a real PostgreSQL: two instances committing the same readings at once store each once.</summary>
public sealed class PostgresStoreTests(ITestOutputHelper output)
{
    private static DecodedMessage Message(string node, uint boot, int from, int count, long ts) =>
        new(Enumerable.Range(from, count).Select(s => new ReadingRow("hg", node, boot, s, ts + s, ts + s, true, "good", null, """{"salinity_pss78":1.5}""")).ToList(), null, null, null);

    [PostgresFact]
    public async Task Two_instances_committing_overlapping_batches_at_once_store_every_reading_once_and_count_the_rest()
    {
        await using var pg = new PostgresServer();
        await pg.StartAsync();
        await using var a = new PostgresIngestStore(pg.ConnectionString);
        await using var b = new PostgresIngestStore(pg.ConnectionString);
        await Task.WhenAll(a.InitializeAsync(CancellationToken.None), b.InitializeAsync(CancellationToken.None)); // schema creation races too

        long december = new DateTimeOffset(2026, 12, 31, 23, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();
        var tasks = new List<Task<CommitResult>>();
        for (int i = 0; i < 20; i++)
        {
            // Each batch: 100 readings of one node, half of them also in the other instance's batch; the times cross
            // into January, so two monthly partitions are made, concurrently.
            var batch = new List<DecodedMessage> { Message("n1", 1, 1 + (i * 50), 100, december + (i * 200)), Message("n2", 5, 1 + (i * 50), 100, december) };
            if (i == 7)
            {
                batch.Add(DecodedMessage.Park("ioc/hg/n1/telemetry", "not JSON: test", Encoding.UTF8.GetBytes("{garbage"), 1024));
            }

            tasks.Add((i % 2 == 0 ? a : b).CommitAsync(batch, i % 2 == 0 ? "a" : "b", CancellationToken.None));
        }

        CommitResult[] results = await Task.WhenAll(tasks);
        int stored = results.Sum(r => r.Stored);
        int duplicates = results.Sum(r => r.Duplicates);
        output.WriteLine($"stored {stored}, duplicates {duplicates}");
        Assert.Equal(2 * 1050, stored); // seq 1 … 1050 for each of two nodes
        Assert.Equal((20 * 200) - (2 * 1050), duplicates);
        Assert.Equal("2100|2100|0", await pg.SqlAsync("SELECT (SELECT COUNT(*) FROM readings), (SELECT COUNT(*) FROM reading_ids), (SELECT COUNT(*) FROM (SELECT 1 FROM readings GROUP BY site, node, boot, seq HAVING COUNT(*) > 1) d)"));
        Assert.Equal("readings_y2026m12,readings_y2027m01", await pg.SqlAsync("SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'readings'::regclass"));
        Assert.Equal((2100L, (long)duplicates, 1L), await a.TotalsAsync(CancellationToken.None));

        CompletenessReport report = CompletenessReport.Build(await b.CompletenessInputAsync("hg", CancellationToken.None), DateTimeOffset.UtcNow);
        Assert.Equal(100, report.CompletenessPercent);
        Assert.Equal(2100, report.Received);
        Assert.Equal(duplicates, Assert.Single(report.Sites).DuplicatesReceived);
        ParkedEntry parked = Assert.Single(await a.ParkedAsync(10, CancellationToken.None));
        Assert.Equal("not JSON: test", parked.Reason);
        Assert.Equal("b", parked.Instance);
    }
}
