using System.Text;
using System.Text.Json;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Tests.Config;

namespace EdgeSensors.Node.Tests.Cycle;

/// <summary>The firmware side of the low-battery cutoff: stop transmitting, say so once, keep measuring, resume on recharge.</summary>
public class BatteryCutoffTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeTransport _transport;
    private readonly FakePlatform _platform = new();

    public BatteryCutoffTests()
    {
        _transport = new FakeTransport { Clock = _clock };
    }

    private NodeCycle NewCycle(PowerMode mode)
    {
        NodeConfig c = ConfigDecoder.DecodeDevice(Encoding.UTF8.GetBytes(ConfigDecoderTests.GoodDevice), out _)!;
        c.Mode = mode;
        c.IntervalSeconds = 300;
        c.OutboxCapacity = 500;
        return new NodeCycle(c, SampleOutbox.Open(new RamStorage(), c.OutboxCapacity), _clock, _transport, new ScriptedSampler(), _platform, new MemoryDocumentStorage(), new Random(1), false);
    }

    private void Run(NodeCycle cycle, long untilMs) => DeepSleepRunner.Run(cycle, _clock, untilMs);

    private List<string[]> StatusFaults() => _transport.Published
        .Where(p => p.Topic.EndsWith("/status", StringComparison.Ordinal) && p.Payload.Length > 0)
        .Select(p => JsonDocument.Parse(p.Payload).RootElement)
        .Where(r => r.TryGetProperty("faults", out _))
        .Select(r => r.GetProperty("faults").EnumerateArray().Select(f => f.GetString()!).ToArray())
        .ToList();

    [Theory]
    [InlineData(PowerMode.DeepSleep)]
    [InlineData(PowerMode.AlwaysOn)]
    public void Below_the_cutoff_the_node_says_so_once_stops_connecting_and_keeps_measuring(PowerMode mode)
    {
        NodeCycle cycle = NewCycle(mode);
        Run(cycle, 20 * 60_000);
        Assert.False(cycle.BatteryCutoff);
        int connectsBefore = _transport.ConnectAttemptsAt.Count;

        _platform.BatteryVolts = NodeCycle.BatteryCutoffVolts - 0.05;
        long cutAt = _clock.MonotonicMs;
        Run(cycle, cutAt + (3 * 3600_000));

        Assert.True(cycle.BatteryCutoff);
        Assert.Contains(StatusFaults(), f => f.Contains(NodeCycle.BatteryCutoffFault));
        int connectsDuringCutoff = _transport.ConnectAttemptsAt.Count(t => t >= cutAt);
        Assert.True(connectsDuringCutoff <= 1, $"{connectsDuringCutoff} connection attempts in three hours of cutoff");
        Assert.True(cycle.Outbox.Count >= 30, $"outbox holds {cycle.Outbox.Count} samples: measuring must go on");
        Assert.True(connectsBefore > 0);
    }

    [Fact]
    public void A_recharged_cell_resumes_and_the_samples_kept_during_the_cutoff_go_out()
    {
        NodeCycle cycle = NewCycle(PowerMode.DeepSleep);
        _platform.BatteryVolts = 3.2;
        Run(cycle, 2 * 3600_000);
        int kept = cycle.Outbox.Count;
        Assert.True(kept >= 20);

        _platform.BatteryVolts = 3.5; // inside the hysteresis band: still off
        Run(cycle, 3 * 3600_000);
        Assert.True(cycle.BatteryCutoff);

        _platform.BatteryVolts = NodeCycle.BatteryResumeVolts + 0.1;
        Run(cycle, 4 * 3600_000);
        Assert.False(cycle.BatteryCutoff);
        Assert.Equal(0, cycle.Outbox.Count);
        Assert.True(cycle.AcknowledgedCount >= kept);
        Assert.DoesNotContain(NodeCycle.BatteryCutoffFault, StatusFaults().Last());
    }
}
