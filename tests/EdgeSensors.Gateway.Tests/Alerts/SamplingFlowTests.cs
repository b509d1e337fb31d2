using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Protocol;

namespace EdgeSensors.Gateway.Tests.Alerts;

/// <summary>
/// Issue 31 through the real gateway process and broker: salt near the crop's warning level shortens the node's
/// interval in its retained config, written as the gateway's own audited decision; fresh water restores it.
/// </summary>
public sealed class SamplingFlowTests
{
    private static int? IntervalOf(string payload) => JsonDocument.Parse(payload).RootElement.TryGetProperty("interval_s", out JsonElement i) ? i.GetInt32() : null;

    [Fact]
    public async Task Salt_near_the_warning_level_shortens_the_interval_through_the_retained_config_and_fresh_water_restores_it()
    {
        await using ChainRig rig = await ChainRig.StartAsync(new Dictionary<string, string>
        {
            // No hold and no spacing between changes: this test cannot wait the defaults' two hours and half hour.
            ["Sampling:HoldMinutes"] = "0",
            ["Sampling:MinMinutesBetweenChanges"] = "0",
        });
        await using TestNode node = await rig.ConnectNodeAsync("hg-rice-1");
        await node.SubscribeAsync(Topics.Config(node.Id));
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1800;
        int fast = new SamplingOptions().FastSeconds;

        // 0.7 ‰ is past 60 % of rice's 1.0 ‰ warning level: sample fast.
        Assert.True((await node.PublishAsync(node.SampleAt(0.7, t0), node.SampleAt(0.72, t0 + 300))).IsSuccess);
        (string _, string shortened) = await node.WaitForMessageAsync(m => m.Topic == Topics.Config(node.Id) && m.Payload.Length > 0 && IntervalOf(m.Payload) == fast, TimeSpan.FromSeconds(30), "the shortened interval");
        Assert.Equal(fast, IntervalOf(shortened));

        await rig.Gateway.WaitForLogAsync($"Sampling: {node.Id} interval {fast} s", TimeSpan.FromSeconds(30));
        JsonElement audit = await rig.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit");
        JsonElement entry = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "node_config" && e.GetProperty("target").GetString() == node.Id);
        Assert.Equal("gateway:sampling", entry.GetProperty("account").GetString());
        Assert.Contains($"interval_s", entry.GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Fresh water, the watch cleared: the gateway withdraws its interval from the retained config, and the node
        // goes back to its own (its node.json's) — the gateway never sets a longer one than the node's own.
        Assert.True((await node.PublishAsync(node.SampleAt(0.1, t0 + 600), node.SampleAt(0.1, t0 + 900), node.SampleAt(0.1, t0 + 1200))).IsSuccess);
        (string _, string restored) = await node.WaitForMessageAsync(m => m.Topic == Topics.Config(node.Id) && m.Payload.Length > 0 && IntervalOf(m.Payload) == null, TimeSpan.FromSeconds(30), "the retained config without the gateway's interval");
        Assert.Equal(2, JsonDocument.Parse(restored).RootElement.GetProperty("rev").GetInt32());
        // The config reaches the node before the use case has written its audit line: wait for the planner's log of it.
        await rig.Gateway.WaitForLogAsync($"Sampling: {node.Id} interval its own", TimeSpan.FromSeconds(30));
        JsonElement after = await rig.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Contains(after.EnumerateArray(), e => e.GetProperty("account").GetString() == "gateway:sampling" && e.GetProperty("detail").GetString()!.Contains($"interval_s {fast} → null", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_interval_an_operator_set_stands_when_salt_comes()
    {
        await using ChainRig rig = await ChainRig.StartAsync(new Dictionary<string, string>
        {
            ["Sampling:HoldMinutes"] = "0",
            ["Sampling:MinMinutesBetweenChanges"] = "0",
        });
        await using TestNode node = await rig.ConnectNodeAsync("hg-rice-2");
        await node.SubscribeAsync(Topics.Config(node.Id));
        HttpResponseMessage set = await rig.Gateway.Http.PutAsync($"/api/nodes/{node.Id}/config", new StringContent("{\"v\":1,\"interval_s\":600}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        await node.WaitForMessageAsync(m => m.Topic == Topics.Config(node.Id) && m.Payload.Length > 0 && IntervalOf(m.Payload) == 600, TimeSpan.FromSeconds(30), "the operator's interval");

        // Salt near the warning level, then a second message so the first's decision has surely been handled.
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 1800;
        Assert.True((await node.PublishAsync(node.SampleAt(0.8, t0), node.SampleAt(0.85, t0 + 300))).IsSuccess);
        await rig.Gateway.WaitForLogAsync("interval was set by admin", TimeSpan.FromSeconds(30));
        JsonElement n = (await rig.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes")).EnumerateArray().Single(x => x.GetProperty("id").GetString() == node.Id);
        Assert.Equal(1, n.GetProperty("config_revision").GetInt64());
        Assert.Contains("\"interval_s\":600", n.GetProperty("config").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_planner_never_asks_a_battery_for_more_than_it_can_pay_and_leaves_mains_nodes_alone()
    {
        var planner = new SamplingPlanner(new SamplingOptions());
        long now = DateTimeOffset.Parse("2027-02-10T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUnixTimeSeconds();
        SamplingInput salty = new(AlertLevel.None, Forecast: true, Upstream: false, Rising: false, 0.8, 1.0, 4.1, Mains: false, now);
        Assert.Equal(300, planner.Decide("a", salty)!.IntervalSeconds);

        SamplingDecision tired = planner.Decide("b", salty with { BatteryVolts = 3.70 })!;
        Assert.Equal(EdgeSensors.Node.Config.PowerBudget.ShortestAffordableSeconds(3.70), tired.IntervalSeconds);
        Assert.Contains("battery (3.70 V)", tired.Reason, StringComparison.Ordinal);
        Assert.True(EdgeSensors.Node.Config.PowerBudget.CanAfford(tired.IntervalSeconds!.Value, 3.70));

        Assert.Null(planner.Decide("c", salty with { Mains = true }));
        Assert.Equal("fast: salt forecast", planner.Decide("d", salty)!.Reason);

        // Held after salt, then the season's interval.
        SamplingInput fresh = salty with { Forecast = false, LatestPpt = 0.1 };
        Assert.Equal(300, planner.Decide("a", fresh with { Now = now + 3600 })!.IntervalSeconds);
        Assert.Null(planner.Decide("a", fresh with { Now = now + (3 * 3600) })!.IntervalSeconds); // the node's own again

        // A node set to sample every minute is never slowed down.
        Assert.Null(planner.Decide("e", salty with { OwnSeconds = 60 })!.IntervalSeconds);
    }
}
