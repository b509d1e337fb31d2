using System.Text;
using System.Text.Json;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Tests.Config;

namespace EdgeSensors.Node.Tests.Cycle;

public class NodeCycleTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeTransport _transport;
    private readonly ScriptedSampler _sampler = new();
    private readonly MemoryDocumentStorage _documents = new();
    private readonly RamStorage _flash = new();

    public NodeCycleTests()
    {
        _transport = new FakeTransport { Clock = _clock };
    }

    private static NodeConfig DeviceConfig(PowerMode mode, int interval = 60)
    {
        NodeConfig c = ConfigDecoder.DecodeDevice(Encoding.UTF8.GetBytes(ConfigDecoderTests.GoodDevice), out _)!;
        c.Mode = mode;
        c.IntervalSeconds = interval;
        c.OutboxCapacity = 500;
        return c;
    }

    private NodeCycle NewCycle(NodeConfig config, bool woke = false, int seed = 1) =>
        new(config, SampleOutbox.Open(_flash, config.OutboxCapacity), _clock, _transport, _sampler, new FakePlatform(), _documents, new Random(seed), woke);

    /// <summary>Runs the cycle on the fake clock until <paramref name="untilMs"/>, honouring the delays it asks for.</summary>
    private static void RunUntil(NodeCycle cycle, FakeClock clock, long untilMs, bool stopAtDeepSleep = false)
    {
        int guard = 0;
        while (clock.MonotonicMs < untilMs && guard++ < 1_000_000)
        {
            long delay = cycle.Step();
            if (stopAtDeepSleep && cycle.DeepSleepRequested)
            {
                return;
            }

            clock.MonotonicMs += Math.Max(delay, 0);
        }
    }

    private List<(uint Boot, uint Seq)> PublishedIds() =>
        _transport.TelemetryPayloads.SelectMany(p =>
        {
            using var doc = JsonDocument.Parse(p);
            uint boot = doc.RootElement.GetProperty("boot").GetUInt32();
            return doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => (boot, s.GetProperty("seq").GetUInt32())).ToList();
        }).ToList();

    [Fact]
    public void Always_on_node_samples_on_schedule_and_publishes_each_sample_once()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 60));
        RunUntil(cycle, _clock, (10 * 60_000) + 5_000);
        var ids = PublishedIds();
        Assert.Equal(Enumerable.Range(1, 11).Select(i => (uint)i), ids.Select(i => i.Seq));
        Assert.All(ids, i => Assert.Equal(cycle.Boot, i.Boot));
        Assert.Equal(0, cycle.Outbox.Count);
        Assert.Equal(11, cycle.AcknowledgedCount);
    }

    [Fact]
    public void A_backlog_from_an_outage_is_published_in_order_after_reconnect()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 60));
        _transport.GatewayUp = false;
        RunUntil(cycle, _clock, 30 * 60_000);
        Assert.Empty(PublishedIds());
        Assert.True(cycle.Outbox.Count >= 29, $"outbox {cycle.Outbox.Count}, clock {_clock.MonotonicMs}, state {cycle.State}, taken {cycle.SamplesTaken}");

        _transport.GatewayUp = true;
        RunUntil(cycle, _clock, 40 * 60_000);
        var seqs = PublishedIds().Select(i => i.Seq).ToList();
        Assert.Equal(Enumerable.Range(1, seqs.Count).Select(i => (uint)i), seqs);
        Assert.True(seqs.Count >= 39);
        Assert.Equal(0, cycle.Outbox.Count);
        // The backlog went out batched, not one message per sample.
        Assert.True(_transport.TelemetryPayloads.Count() < seqs.Count);
    }

    [Fact]
    public void Failed_connections_back_off_exponentially_with_jitter_up_to_the_cap()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 3600));
        _transport.GatewayUp = false;
        RunUntil(cycle, _clock, 3_000_000);
        long[] gaps = _transport.ConnectAttemptsAt.Zip(_transport.ConnectAttemptsAt.Skip(1), (a, b) => b - a).ToArray();
        Assert.True(gaps.Length > 8);
        for (int i = 0; i < 8; i++)
        {
            long full = Math.Min(NodeCycle.BackoffBaseMs << i, NodeCycle.BackoffMaxMs);
            Assert.InRange(gaps[i], full / 2, full); // "equal jitter": between half and all of the exponential delay
        }

        Assert.All(gaps, g => Assert.True(g <= NodeCycle.BackoffMaxMs + 1));
        Assert.True(gaps.Skip(9).Max() > NodeCycle.BackoffMaxMs / 2);
        Assert.Equal(_transport.ConnectAttemptsAt.Count, cycle.Failures);
    }

    [Fact]
    public void Jitter_differs_between_nodes_so_a_fleet_does_not_reconnect_in_lock_step()
    {
        var a = new FakeTransport { Clock = new FakeClock(), GatewayUp = false };
        var b = new FakeTransport { Clock = new FakeClock(), GatewayUp = false };
        var ca = new NodeCycle(DeviceConfig(PowerMode.AlwaysOn, 3600), SampleOutbox.Open(new RamStorage(), 100), a.Clock!, a, _sampler, new FakePlatform(), new MemoryDocumentStorage(), new Random(1), false);
        var cb = new NodeCycle(DeviceConfig(PowerMode.AlwaysOn, 3600), SampleOutbox.Open(new RamStorage(), 100), b.Clock!, b, _sampler, new FakePlatform(), new MemoryDocumentStorage(), new Random(2), false);
        RunUntil(ca, a.Clock!, 200_000);
        RunUntil(cb, b.Clock!, 200_000);
        Assert.NotEqual(a.ConnectAttemptsAt.Skip(2).Take(5), b.ConnectAttemptsAt.Skip(2).Take(5));
    }

    [Fact]
    public void Deep_sleep_node_samples_publishes_and_asks_to_sleep_until_the_next_sample()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.DeepSleep, 900));
        RunUntil(cycle, _clock, long.MaxValue, stopAtDeepSleep: true);
        Assert.True(cycle.DeepSleepRequested);
        Assert.InRange(cycle.SleepDurationMs, 899_000, 900_000);
        Assert.Single(PublishedIds());
        Assert.Equal(TransportState.Disconnected, _transport.State);
    }

    [Fact]
    public void Deep_sleep_node_gives_up_after_a_few_attempts_keeps_the_sample_and_resumes_the_boot_after_waking()
    {
        NodeConfig config = DeviceConfig(PowerMode.DeepSleep, 900);
        NodeCycle first = NewCycle(config);
        _transport.GatewayUp = false;
        RunUntil(first, _clock, long.MaxValue, stopAtDeepSleep: true);
        Assert.Equal(NodeCycle.AttemptsPerWake, _transport.ConnectAttemptsAt.Count);
        Assert.Equal(1, first.Outbox.Count);

        // The chip deep-sleeps: the process restarts from scratch, continuing the boot.
        _clock.MonotonicMs += first.SleepDurationMs;
        _transport.GatewayUp = true;
        NodeCycle second = NewCycle(config, woke: true);
        Assert.Equal(first.Boot, second.Boot);
        RunUntil(second, _clock, long.MaxValue, stopAtDeepSleep: true);
        Assert.Equal([1u, 2u], PublishedIds().Select(i => i.Seq));
        Assert.All(PublishedIds(), i => Assert.Equal(first.Boot, i.Boot));
    }

    [Fact]
    public void A_reboot_starts_a_new_boot_and_still_sends_the_old_boots_backlog_first()
    {
        NodeConfig config = DeviceConfig(PowerMode.AlwaysOn, 60);
        NodeCycle first = NewCycle(config);
        _transport.GatewayUp = false;
        RunUntil(first, _clock, 5 * 60_000);
        int queued = first.Outbox.Count;
        Assert.True(queued >= 4);

        NodeCycle second = NewCycle(config, woke: false, seed: 99); // brown-out: a fresh process, a new boot id
        Assert.NotEqual(first.Boot, second.Boot);
        _transport.GatewayUp = true;
        RunUntil(second, _clock, 8 * 60_000);
        var ids = PublishedIds();
        Assert.Equal(Enumerable.Repeat(first.Boot, queued), ids.Take(queued).Select(i => i.Boot));
        Assert.Equal(Enumerable.Range(1, queued).Select(i => (uint)i), ids.Take(queued).Select(i => i.Seq));
        Assert.All(ids.Skip(queued), i => Assert.Equal(second.Boot, i.Boot));
        Assert.Equal(ids.Count, ids.Distinct().Count());
    }

    [Fact]
    public void A_connection_lost_before_the_puback_resends_the_same_samples()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 60));
        _transport.AutoAck = false;
        RunUntil(cycle, _clock, 1000);
        Assert.Single(PublishedIds());
        _transport.DropConnection();
        _transport.AutoAck = true;
        RunUntil(cycle, _clock, 30_000);
        Assert.Equal([1u, 1u], PublishedIds().Select(i => i.Seq));
        Assert.Equal(0, cycle.Outbox.Count);
    }

    [Fact]
    public void Retained_config_is_applied_stored_and_survives_a_reboot()
    {
        NodeConfig config = DeviceConfig(PowerMode.AlwaysOn, 60);
        NodeCycle cycle = NewCycle(config);
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":5,\"interval_s\":120,\"calibration\":{\"ec_gain\":1.05}}"));
        RunUntil(cycle, _clock, 1000);
        Assert.Equal(120, cycle.Config.IntervalSeconds);
        Assert.Equal(1.05, cycle.Config.EcGain);

        NodeCycle rebooted = NewCycle(config, seed: 5);
        Assert.Equal(120, rebooted.Config.IntervalSeconds);
        Assert.Equal(5, rebooted.Config.Revision);
    }

    [Fact]
    public void Bad_retained_config_is_refused_the_last_good_one_kept_and_the_reason_published_in_status()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 60));
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":6,\"interval_s\":120}"));
        RunUntil(cycle, _clock, 1000);
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":7,\"interval_s\":-5}"));
        RunUntil(cycle, _clock, 3000);
        Assert.Equal(120, cycle.Config.IntervalSeconds);
        Assert.Contains("interval_s", cycle.ConfigError, StringComparison.Ordinal);
        string lastStatus = Encoding.UTF8.GetString(_transport.Published.Last(p => p.Topic.EndsWith("/status", StringComparison.Ordinal)).Payload);
        using var doc = JsonDocument.Parse(lastStatus);
        Assert.Contains("interval_s", doc.RootElement.GetProperty("config_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(6, doc.RootElement.GetProperty("config_rev").GetInt64());
    }

    [Fact]
    public void Connect_carries_credentials_last_will_and_the_config_subscription()
    {
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 60));
        RunUntil(cycle, _clock, 1000);
        ConnectRequest r = _transport.LastRequest!;
        Assert.Equal("hg-vithanh-012", r.Username);
        Assert.Equal("long-enough-secret", r.Password);
        Assert.Equal(Topics.Status("hg-vithanh-012"), r.WillTopic);
        Assert.Equal(Topics.Config("hg-vithanh-012"), r.ConfigTopic);
        Assert.Contains("\"online\":false", Encoding.UTF8.GetString(r.WillPayload), StringComparison.Ordinal);
        var status = _transport.Published.First(p => p.Topic == Topics.Status("hg-vithanh-012"));
        Assert.True(status.Retain);
    }

    [Fact]
    public void An_open_probe_drops_salinity_and_reports_the_fault_in_status()
    {
        _sampler.OpenProbe = true;
        NodeCycle cycle = NewCycle(DeviceConfig(PowerMode.AlwaysOn, 60));
        RunUntil(cycle, _clock, 1000);
        string telemetry = _transport.TelemetryPayloads.Single();
        Assert.DoesNotContain("salinity_ppt", telemetry, StringComparison.Ordinal);
        Assert.DoesNotContain("ec_ms_cm", telemetry, StringComparison.Ordinal);
        Assert.Contains("water_temp_c", telemetry, StringComparison.Ordinal);
        string status = Encoding.UTF8.GetString(_transport.Published.Last(p => p.Topic.EndsWith("/status", StringComparison.Ordinal)).Payload);
        Assert.Contains("ec_ms_cm:open_probe", status, StringComparison.Ordinal);
    }
}
