using System.Text.Json;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using Microsoft.Data.Sqlite;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Tests.Store;

/// <summary>
/// A gateway of the first release upgrades in place. Fixtures/schema1-backlog.db was written by that release's own
/// gateway (commit 4fc85a8's code, run against a Mosquitto IOC): three nodes, 20 readings each forwarded, then with the
/// IOC down 40 more each, one partial reading (water temperature and level only) and one with an unsynchronised clock —
/// 126 readings of backlog. Started on it, today's gateway must convert it and deliver the whole backlog, values intact.
/// </summary>
public sealed class SchemaUpgradeTests
{
    private static readonly string Fixture = Path.Combine(AppContext.BaseDirectory, "Fixtures", "schema1-backlog.db");

    [Fact]
    public void The_schema_1_database_upgrades_in_place_keeping_every_reading_and_the_checkpoint()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "edgesensors.db");
        File.Copy(Fixture, path);
        (long rows, long forwarded) = Schema1Counts(path);
        Assert.Equal((186L, 60L), (rows, forwarded));

        using (var db = new EdgeDatabase(path))
        {
            using SqliteConnection c = db.OpenRead();
            Assert.Equal(EdgeDatabase.SchemaVersion, EdgeDatabase.Scalar(c, "PRAGMA user_version"));
            Assert.Equal(186, EdgeDatabase.Scalar(c, "SELECT count(*) FROM readings"));
            Assert.Equal(60, EdgeDatabase.Scalar(c, "SELECT count(*) FROM readings WHERE id <= (SELECT through FROM uplink_cursor)"));
            Assert.Equal(0, EdgeDatabase.Scalar(c, "SELECT count(*) FROM sqlite_master WHERE name = 'readings_v1'"));
        }

        // Opening again is a no-op.
        using var again = new EdgeDatabase(path);
        using SqliteConnection c2 = again.OpenRead();
        Assert.Equal(186, EdgeDatabase.Scalar(c2, "SELECT count(*) FROM readings"));
    }

    [Fact]
    public async Task The_backlog_of_an_upgraded_schema_1_database_reaches_the_IOC_with_its_values()
    {
        await using var ioc = new MosquittoBroker();
        await ioc.StartAsync();
        await using var recorder = new IocRecorder(ioc.Port);
        await recorder.StartAsync();
        using var dir = new TempDir();
        File.Copy(Fixture, Path.Combine(dir.Path, "edgesensors.db"));
        await using var gateway = new GatewayProcess(dir.Path, ioc.Port);
        await gateway.StartAsync();

        // 42 readings of backlog per node: seq 21–60, the partial one and the unsynchronised one.
        await recorder.WaitForAsync(r => r.ReadingCounts.Count >= 126, TimeSpan.FromSeconds(60), "the 126 readings of the schema-1 backlog");
        foreach (string node in new[] { "hg-old-1", "hg-old-2", "hg-old-3" })
        {
            Assert.Equal(42, recorder.ReadingCounts.Keys.Count(k => k.Node == node));
        }

        List<JsonElement> readings = recorder.Messages.Where(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal))
            .SelectMany(m => JsonDocument.Parse(m.Payload).RootElement.GetProperty("readings").EnumerateArray().ToList()).ToList();
        JsonElement partial = readings.First(r => r.GetProperty("seq").GetUInt32() == 1000);
        Assert.Equal("partial", partial.GetProperty("q").GetString());
        Assert.Equal("{\"water_temp_c\":28.1,\"level_m\":-0.125}", partial.GetProperty("r").GetRawText());
        JsonElement full = readings.First(r => r.GetProperty("seq").GetUInt32() == 21);
        Assert.Equal(2.2, full.GetProperty("r").GetProperty("salinity_ppt").GetDouble());
        Assert.Equal(7, full.GetProperty("r").EnumerateObject().Count());
        Assert.Contains(readings, r => r.GetProperty("q").GetString() == "ts_gateway");
    }

    private static (long Rows, long Forwarded) Schema1Counts(string path)
    {
        using var c = new SqliteConnection($"Data Source={path};Pooling=False");
        c.Open();
        using SqliteCommand cmd = c.CreateCommand();
        cmd.CommandText = "SELECT count(*), sum(forwarded) FROM readings";
        using SqliteDataReader r = cmd.ExecuteReader();
        r.Read();
        return (r.GetInt64(0), r.GetInt64(1));
    }
}
