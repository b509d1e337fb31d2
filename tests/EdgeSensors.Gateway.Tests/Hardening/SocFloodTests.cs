using EdgeSensors.Gateway.Security;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>
/// Issue 29: one connection's 44,000 refused subscribes pushed 3,205 older events out of the SOC queue. Each source's
/// events of one kind are limited per minute now, and the rest summarised, so the queue keeps what came before.
/// </summary>
public sealed class SocFloodTests
{
    private sealed class ManualTime(DateTimeOffset start) : TimeProvider
    {
        public DateTimeOffset Now { get; set; } = start;

        public override DateTimeOffset GetUtcNow() => Now;
    }

    [Fact]
    public void A_flood_from_one_source_is_summarised_once_a_minute_and_other_sources_are_untouched()
    {
        var time = new ManualTime(new DateTimeOffset(2026, 12, 6, 8, 0, 0, TimeSpan.Zero));
        var limiter = new SecurityEventLimiter(20, time);
        SecurityEvent Flood() => new(time.Now, "acl_subscribe", SecurityEvents.Warning, null, "hg-flood-1", "subscribe_denied", "subscription denied");
        int admitted = Enumerable.Range(0, 44_000).Count(_ => limiter.Admit(Flood()));
        Assert.Equal(20, admitted);
        Assert.True(limiter.Admit(new SecurityEvent(time.Now, "connect_refused", SecurityEvents.Warning, "192.168.1.50", "hg-x", "bad_credentials", "refused")));
        Assert.Empty(limiter.TakeSummaries()); // the minute is not over

        time.Now += TimeSpan.FromMinutes(1);
        SecurityEvent summary = Assert.Single(limiter.TakeSummaries());
        Assert.Equal("acl_subscribe", summary.Kind);
        Assert.Equal("hg-flood-1", summary.Node);
        Assert.StartsWith("43980 more acl_subscribe events from hg-flood-1", summary.Message, StringComparison.Ordinal);
        Assert.True(limiter.Admit(Flood())); // a new minute
    }

    [Fact]
    public async Task Refused_subscribes_from_one_connection_do_not_push_older_events_out_of_the_SOC_queue()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string>
        {
            // The SOC's receiver is away (nothing listens there): events wait in a queue of 100.
            ["Soc:Syslog:Host"] = "127.0.0.1",
            ["Soc:Syslog:Port"] = FreePort.Next().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Soc:Syslog:Transport"] = "tcp",
            ["Soc:Syslog:QueueCapacity"] = "100",
        });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-flood-2");
        await using (var guesser = new TestNode("hg-flood-2", "wrong"))
        {
            Assert.False((await guesser.ConnectAsync(gateway.MqttPort)).Ok);
        }

        await using var node = new TestNode("hg-flood-2", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        for (int i = 0; i < 2000; i++)
        {
            await node.SubscribeAsync($"edgesensors/hg-other-{i}/telemetry");
        }

        Assert.Equal(0, await gateway.MetricAsync("edgesensors_soc_events_total", "result=\"dropped\""));
        Assert.True(await gateway.MetricAsync("edgesensors_soc_events_total", "result=\"summarised\"") >= 1900);
    }
}
