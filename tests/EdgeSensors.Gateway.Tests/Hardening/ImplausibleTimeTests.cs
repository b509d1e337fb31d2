using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Samples;
using Microsoft.Data.Sqlite;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>Issue 15, scope 2: a sample dated 2100 (or 1970) with sync:true is kept at the receive time, flagged, counted, with the node's own time beside it.</summary>
public sealed class ImplausibleTimeTests
{
    [Fact]
    public async Task A_future_dated_synced_sample_is_stored_with_the_receive_time_flagged_and_counted()
    {
        await using ChainRig rig = await ChainRig.StartAsync();
        await using TestNode node = await rig.ConnectNodeAsync("hg-time-1");
        long before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True((await node.PublishAsync(node.SampleAt(1.2, 4_102_444_800), node.SampleAt(1.2, 10), node.SampleAt(1.2, before))).IsSuccess);
        long after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        JsonElement detail = await rig.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes/hg-time-1?last=10");
        JsonElement[] rows = detail.GetProperty("last_readings").EnumerateArray().OrderBy(r => r.GetProperty("seq").GetUInt32()).ToArray();
        Assert.Equal(3, rows.Length);
        foreach ((JsonElement row, long claimed) in new[] { (rows[0], 4_102_444_800L), (rows[1], 10L) })
        {
            Assert.Equal("ts_implausible", row.GetProperty("q").GetString());
            Assert.InRange(row.GetProperty("ts").GetInt64(), before, after);
            Assert.False(row.GetProperty("sync").GetBoolean());
            Assert.Equal(claimed, row.GetProperty("node_ts").GetInt64());
        }

        Assert.Equal("good", rows[2].GetProperty("q").GetString());
        Assert.Equal(2, await rig.Gateway.MetricAsync("edgesensors_readings_ts_implausible_total"));

        // The IOC receives the same: receive time, the flag and the node's claim, valid against the schema.
        await rig.Recorder.WaitForAsync(r => r.ReadingCounts.Count == 3, TimeSpan.FromSeconds(30), "3 readings at the IOC");
        string message = rig.Recorder.Messages.First(m => m.Topic.EndsWith("/telemetry", StringComparison.Ordinal)).Payload;
        Assert.Contains("\"node_ts\":4102444800", message, StringComparison.Ordinal);
        Assert.Contains("\"q\":\"ts_implausible\"", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_schema_2_store_gains_the_node_time_column_in_place()
    {
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "edgesensors.db");
        using (var db = new EdgeDatabase(path))
        {
            await db.WriteAsync(c =>
            {
                EdgeDatabase.Execute(c, "ALTER TABLE readings DROP COLUMN nts; PRAGMA user_version = 2;");
                return 0;
            });
        }

        using var again = new EdgeDatabase(path);
        using SqliteConnection c = again.OpenRead();
        Assert.Equal(EdgeDatabase.SchemaVersion, EdgeDatabase.Scalar(c, "PRAGMA user_version"));
        Assert.Equal(1, EdgeDatabase.Scalar(c, "SELECT count(*) FROM pragma_table_info('readings') WHERE name = 'nts'"));
    }
}
