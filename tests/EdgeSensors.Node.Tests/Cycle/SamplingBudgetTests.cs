using System.Text;
using System.Text.Json;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Tests.Config;

namespace EdgeSensors.Node.Tests.Cycle;

/// <summary>
/// Issue 31: the gateway shortens a battery node's interval through its retained config when salt is coming; the node
/// takes it when its charge pays for it and refuses it, keeping its interval and saying why in its status, when not.
/// </summary>
public class SamplingBudgetTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeTransport _transport;
    private readonly FakePlatform _platform = new();

    public SamplingBudgetTests()
    {
        _transport = new FakeTransport { Clock = _clock };
    }

    private NodeCycle NewCycle(PowerMode mode)
    {
        NodeConfig c = ConfigDecoder.DecodeDevice(Encoding.UTF8.GetBytes(ConfigDecoderTests.GoodDevice), out _)!;
        c.Mode = mode;
        c.IntervalSeconds = 900;
        return new NodeCycle(c, SampleOutbox.Open(new RamStorage(), c.OutboxCapacity), _clock, _transport, new ScriptedSampler(), _platform, new MemoryDocumentStorage(), new Random(1), false);
    }

    private void Run(NodeCycle cycle, long untilMs) => DeepSleepRunner.Run(cycle, _clock, untilMs);

    private JsonElement LastStatus() => JsonDocument.Parse(_transport.Published.Last(p => p.Topic.EndsWith("/status", StringComparison.Ordinal) && p.Payload.Length > 0).Payload).RootElement;

    [Fact]
    public void A_full_cell_takes_the_short_interval_and_goes_back_to_the_long_one()
    {
        _platform.BatteryVolts = 4.15;
        NodeCycle cycle = NewCycle(PowerMode.DeepSleep);
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":2,\"interval_s\":300}"));
        Run(cycle, 20 * 60_000);
        Assert.Equal(300, cycle.Config.IntervalSeconds);
        Assert.Equal(string.Empty, cycle.ConfigError);
        Assert.Equal(300, LastStatus().GetProperty("interval_s").GetInt32());

        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":3,\"interval_s\":900}"));
        Run(cycle, 40 * 60_000);
        Assert.Equal(900, cycle.Config.IntervalSeconds);
    }

    [Fact]
    public void A_half_empty_cell_refuses_five_minutes_keeps_its_interval_and_says_what_it_can_pay_for()
    {
        // 3.70 V at rest: ≈ 1,130 mAh left; 5-minute sampling needs 66.7 mAh a day, 2,000 for the 30 reserve days.
        _platform.BatteryVolts = 3.70;
        NodeCycle cycle = NewCycle(PowerMode.DeepSleep);
        Run(cycle, 2 * 60_000);
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":4,\"interval_s\":300}"));
        Run(cycle, 40 * 60_000);
        Assert.Equal(900, cycle.Config.IntervalSeconds);
        Assert.Contains("interval_s 300 refused: battery 3.70 V", cycle.ConfigError, StringComparison.Ordinal);
        JsonElement status = LastStatus();
        Assert.Equal(900, status.GetProperty("interval_s").GetInt32());
        Assert.Contains($"pays for {PowerBudget.ShortestAffordableSeconds(3.70)} s", status.GetProperty("config_error").GetString(), StringComparison.Ordinal);

        // What it can pay for, it takes.
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes($"{{\"v\":1,\"rev\":5,\"interval_s\":{PowerBudget.ShortestAffordableSeconds(3.70)}}}"));
        Run(cycle, 80 * 60_000);
        Assert.Equal(PowerBudget.ShortestAffordableSeconds(3.70), cycle.Config.IntervalSeconds);
        Assert.Equal(string.Empty, cycle.ConfigError);
    }

    [Fact]
    public void A_mains_node_takes_any_interval_whatever_its_battery_reading()
    {
        _platform.BatteryVolts = 3.40;
        NodeCycle cycle = NewCycle(PowerMode.AlwaysOn);
        _transport.ConfigMessages.Enqueue(Encoding.UTF8.GetBytes("{\"v\":1,\"rev\":2,\"interval_s\":300,\"mode\":\"always_on\"}"));
        Run(cycle, 5 * 60_000);
        Assert.Equal(300, cycle.Config.IntervalSeconds);
    }

    [Theory]
    [InlineData(900, 22.6)]
    [InlineData(600, 33.6)]
    [InlineData(300, 66.7)]
    public void The_budget_is_the_hardware_docs_table(int interval, double mahPerDay) =>
        Assert.Equal(mahPerDay, PowerBudget.MahPerDay(interval), 1);

    [Fact]
    public void The_charge_left_follows_the_rest_voltage_and_the_reserve_rule_bounds_the_interval()
    {
        Assert.Equal(0, PowerBudget.RemainingMah(3.30));
        Assert.Equal(PowerBudget.UsableMah, PowerBudget.RemainingMah(4.20));
        double last = -1;
        for (double v = 3.30; v <= 4.20; v += 0.01)
        {
            double now = PowerBudget.RemainingMah(v);
            Assert.True(now >= last, $"not monotonic at {v:0.00} V");
            last = now;
        }

        Assert.True(PowerBudget.CanAfford(300, 4.15));
        Assert.False(PowerBudget.CanAfford(300, 3.70));
        Assert.True(PowerBudget.CanAfford(900, 3.70));
        Assert.True(PowerBudget.CanAfford(PowerBudget.ShortestAffordableSeconds(3.70), 3.70));
        Assert.False(PowerBudget.CanAfford(PowerBudget.ShortestAffordableSeconds(3.70) - 60, 3.70));
        Assert.Equal(ConfigRules.MaxIntervalSeconds, PowerBudget.ShortestAffordableSeconds(3.25));

        // What hardware/node-esp32 ("When the gateway asks for 5 minutes") and docs/alerts.md say.
        Assert.Equal(300, PowerBudget.ShortestAffordableSeconds(4.10));
        Assert.Equal(540, PowerBudget.ShortestAffordableSeconds(3.70));
        Assert.True(PowerBudget.ShortestAffordableSeconds(3.60) >= 900);
    }
}
