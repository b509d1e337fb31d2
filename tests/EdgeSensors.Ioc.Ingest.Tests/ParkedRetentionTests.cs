using System.Text;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Store;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>Parked messages are kept for inspection, then deleted by their retention (issue 32: they were never pruned).</summary>
public sealed class ParkedRetentionTests
{
    [Fact]
    public async Task Parked_messages_older_than_the_retention_are_deleted_and_newer_ones_kept()
    {
        using var dir = new TempDir();
        await using var store = new SqliteIngestStore(Path.Combine(dir.Path, "ingest.db"));
        await store.InitializeAsync(CancellationToken.None);
        var decoder = new IocMessageDecoder(1024 * 1024);
        DecodedMessage bad = decoder.Decode("ioc/hg-a/n-1/telemetry", Encoding.UTF8.GetBytes("{not json"));
        Assert.NotNull(bad.Parked);
        await store.CommitAsync([bad, bad], "test", CancellationToken.None);
        Assert.Equal(2, (await store.ParkedAsync(10, CancellationToken.None)).Count);

        // Nothing is older than a day yet; everything is older than a minute from now.
        Assert.Equal(0, await store.PruneParkedAsync(DateTimeOffset.UtcNow.AddDays(-1), CancellationToken.None));
        Assert.Equal(2, (await store.ParkedAsync(10, CancellationToken.None)).Count);
        Assert.Equal(2, await store.PruneParkedAsync(DateTimeOffset.UtcNow.AddMinutes(1), CancellationToken.None));
        Assert.Empty(await store.ParkedAsync(10, CancellationToken.None));
    }
}
