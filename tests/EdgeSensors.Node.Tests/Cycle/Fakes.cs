using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Tests.Cycle;

public sealed class FakeClock : INodeClock
{
    public long MonotonicMs { get; set; }

    public long UnixSeconds => 1764028800 + (MonotonicMs / 1000);

    public bool IsSynchronized { get; set; } = true;
}

/// <summary>A transport whose outcomes the test scripts: connects succeed unless told otherwise; acks arrive on the next poll.</summary>
public sealed class FakeTransport : INodeTransport
{
    private readonly Dictionary<int, PublishState> _publishes = [];
    private int _next;

    public TransportState State { get; private set; }

    public bool GatewayUp { get; set; } = true;

    public bool AutoAck { get; set; } = true;

    public List<(string Topic, byte[] Payload, bool Retain)> Published { get; } = [];

    public List<long> ConnectAttemptsAt { get; } = [];

    public ConnectRequest? LastRequest { get; private set; }

    public Queue<byte[]> ConfigMessages { get; } = new();

    public FakeClock? Clock { get; init; }

    public void BeginConnect(ConnectRequest request)
    {
        LastRequest = request;
        ConnectAttemptsAt.Add(Clock?.MonotonicMs ?? 0);
        State = GatewayUp ? TransportState.Connected : TransportState.Failed;
    }

    public int Publish(string topic, byte[] payload, bool retain)
    {
        if (State != TransportState.Connected)
        {
            return -1;
        }

        Published.Add((topic, payload, retain));
        _publishes[++_next] = AutoAck ? PublishState.Acknowledged : PublishState.Pending;
        return _next;
    }

    public PublishState GetPublishState(int token) => _publishes.TryGetValue(token, out var s) ? s : PublishState.Failed;

    public byte[]? TakeConfigMessage() => ConfigMessages.Count > 0 ? ConfigMessages.Dequeue() : null;

    public void Disconnect()
    {
        State = TransportState.Disconnected;
        foreach (int k in _publishes.Keys.ToList())
        {
            if (_publishes[k] == PublishState.Pending)
            {
                _publishes[k] = PublishState.Failed;
            }
        }
    }

    public void DropConnection() => Disconnect();

    public IEnumerable<string> TelemetryPayloads => Published.Where(p => p.Topic.EndsWith("/telemetry", StringComparison.Ordinal)).Select(p => System.Text.Encoding.UTF8.GetString(p.Payload));
}

/// <summary>Simulated sensors at the lowest honest level: ADC counts for a known conductivity and pressure.</summary>
public sealed class ScriptedSampler : ISensorSampler
{
    public double Ec25MsCm { get; set; } = 3.0;

    public double EcMsCmPerVolt { get; set; } = 6.1;

    public double WaterTempC { get; set; } = 28.0;

    public double GaugePressureHpa { get; set; } = 100.0;

    public bool OpenProbe { get; set; }

    public RawFrame Read(int burstSize)
    {
        int ecCount = OpenProbe ? 0 : (int)Math.Round(Ec25MsCm / EcMsCmPerVolt / 3.3 * 4095);
        int pCount = (int)Math.Round(((GaugePressureHpa / 100.0) + 0.33) / 3.3 * 4095);
        return new RawFrame
        {
            EcCounts = Enumerable.Repeat(ecCount, burstSize).ToArray(),
            PressureCounts = Enumerable.Repeat(pCount, burstSize).ToArray(),
            EcFullScale = 4095, // a 12-bit converter at 3.3 V: the processor takes any converter's scale
            EcFullScaleVolts = 3.3,
            PressureFullScale = 4095,
            PressureFullScaleVolts = 3.3,
            WaterTempC = WaterTempC,
            AirTempC = 31.0,
            AirPressureHpa = 1008.0,
            HumidityPct = 70.0,
        };
    }
}

public sealed class FakePlatform : INodePlatform
{
    public string FirmwareVersion => "test";

    public string ResetReason => "power_on";

    public double BatteryVolts { get; set; } = 3.9;

    public int RssiDbm => -60;

    public long FreeMemoryBytes => 40000;
}

/// <summary>Runs a node program through its wakes as the device does: deep sleep advances the clock to the timer and wakes it.</summary>
public static class DeepSleepRunner
{
    public static void Run(NodeCycle cycle, FakeClock clock, long untilMs)
    {
        int guard = 0;
        while (clock.MonotonicMs < untilMs && guard++ < 1_000_000)
        {
            long delay = cycle.Step();
            if (cycle.DeepSleepRequested)
            {
                clock.MonotonicMs += cycle.SleepDurationMs;
                cycle.WakeFromSleep();
                continue;
            }

            clock.MonotonicMs += Math.Max(delay, 0);
        }
    }
}
