using System.Text;
using EdgeSensors.Emulator.Site;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Device;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// One emulated node: the node logic library's own <see cref="NodeCycle"/> with simulated flash (outbox and stored
/// config outlive reboots), simulated sensors and clock, and a real MQTT transport. Faults act on those parts.
/// </summary>
public sealed class EmulatedNode : IDisposable
{
    private readonly FleetClock _clock;
    private readonly INodeTransport _transport;
    private readonly RamStorage _flash = new();
    private readonly MemoryDocumentStorage _documents = new();
    private RunJournal _journal = null!;
    private readonly Random _random;
    private readonly List<GeneratedSample>? _log;
    private readonly HashSet<(uint Boot, uint Seq)> _acknowledged = [];
    private readonly List<string> _faults = [];
    private NodeCycle _cycle = null!;
    private Sample? _lastSeen;
    private long _wakeAtMs = -1;

    public EmulatedNode(int index, NodePlacement placement, string secret, string host, int port, int intervalSeconds, PowerMode mode, FleetClock clock, SiteModel site, INodeTransport transport, int seed, bool keepLog, string? caPem = null, int bootSalt = 0)
    {
        Index = index;
        Placement = placement;
        Secret = secret;
        _clock = clock;
        _transport = transport;
        // Draws boot ids (and reconnect jitter); the readings come from the sensors' own generator below, so a salt
        // changes the ids of a rerun and nothing of what it measures.
        _random = new Random(seed ^ bootSalt);
        _log = keepLog ? [] : null;
        Clock = new NodeClock(clock);

        // The device config goes through the firmware's own encoder and decoder, as a provisioned node.json would.
        var config = new NodeConfig
        {
            NodeId = placement.Id,
            WifiSsid = "emulated",
            GatewayHost = host,
            GatewayPort = port,
            GatewayTls = caPem != null,
            GatewayCaPem = caPem,
            Password = secret,
            IntervalSeconds = intervalSeconds,
            Mode = mode,
            OutboxCapacity = 600,
            BurstSize = 5,
            SensorElevationM = placement.SensorElevationM,
            Latitude = placement.Lat,
        };
        byte[] nodeJson = Encoding.UTF8.GetBytes(ConfigEncoder.EncodeDevice(config));
        Config = ConfigDecoder.DecodeDevice(nodeJson, out string error)
            ?? throw new InvalidOperationException("emulated node.json refused: " + error);
        _documents.Write(DeviceApp.ConfigDocument, nodeJson);
        Sensors = new SimulatedSensors(clock, site, placement, Config, new Random(seed ^ 0x5EED));
        Boot(wokeFromSleep: false);
    }

    public int Index { get; }

    public NodePlacement Placement { get; }

    public string Id => Placement.Id;

    public string Secret { get; }

    public NodeConfig Config { get; }

    public SimulatedSensors Sensors { get; }

    public NodeClock Clock { get; }

    public MqttNodeTransport? Mqtt => _transport as MqttNodeTransport;

    /// <summary>Why the emulated chip last started, from the device program's run record (as its status says).</summary>
    public string ResetReason => _journal.ResetReason;

    public NodeCycle Cycle => _cycle;

    public long Generated { get; private set; }

    public long Acknowledged => _acknowledged.Count;

    public IReadOnlySet<(uint Boot, uint Seq)> AcknowledgedIds => _acknowledged;

    public int Queued => _cycle.Outbox.Count;

    public uint DroppedByOutbox => _cycle.Outbox.Dropped;

    public int Boots { get; private set; }

    public IReadOnlyList<string> FaultsInjected => _faults;

    public IReadOnlyList<GeneratedSample> Log => (IReadOnlyList<GeneratedSample>?)_log ?? [];

    public bool Connected => _transport.State == TransportState.Connected;

    /// <summary>Advances the node; returns the simulated ms until it wants to run again.</summary>
    public long Step()
    {
        if (_wakeAtMs >= 0)
        {
            if (_clock.NowMs < _wakeAtMs)
            {
                return _wakeAtMs - _clock.NowMs;
            }

            _wakeAtMs = -1;
            Boot(wokeFromSleep: true); // the ESP32 restarts from deep sleep: same boot id, next seq
        }

        long delay = _cycle.Step();
        Sample? last = _cycle.LastSample;
        if (last != null && !ReferenceEquals(last, _lastSeen))
        {
            _lastSeen = last;
            Generated++;
            _log?.Add(new GeneratedSample(Id, last.Boot, last.Seq, last.Timestamp,
                last.Reading.Has(0) ? last.Reading.SalinityPpt : null, last.Reading.Has(3) ? last.Reading.LevelM : null,
                Sensors.LastTruth.Salinity, Sensors.LastTruth.Level));
        }

        if (_cycle.DeepSleepRequested)
        {
            _journal.MarkSleeping();
            _wakeAtMs = _clock.NowMs + _cycle.SleepDurationMs;
            return _cycle.SleepDurationMs;
        }

        return delay;
    }

    /// <summary>
    /// The chip restarts with a new boot id; flash survives. <paramref name="deliberate"/>: the program's watchdog
    /// asked for it (recorded first, reported as "watchdog"); otherwise the power failed while awake ("unexpected").
    /// </summary>
    public void Reboot(string why, bool deliberate)
    {
        _faults.Add(why);
        if (deliberate)
        {
            _journal.MarkReboot("watchdog");
        }

        _transport.Disconnect();
        Boot(wokeFromSleep: false);
    }

    public void NoteFault(string what) => _faults.Add(what);

    public void Dispose() => (_transport as IDisposable)?.Dispose();

    private void Boot(bool wokeFromSleep)
    {
        if (_cycle != null)
        {
            _cycle.SamplesAcknowledged -= OnAcknowledged;
        }

        // The device program's own composition, as on the ESP32: node.json from flash, the run record that says why
        // the chip started, the outbox file.
        _journal = RunJournal.Open(_documents, wokeFromSleep);
        DeviceApp app = DeviceApp.Boot(_documents, _flash, _transport, Clock, Sensors, new EmulatedPlatform(), _random, _journal, out string error)
            ?? throw new InvalidOperationException("emulated node cannot boot: " + error);
        _cycle = app.Cycle;
        _cycle.SamplesAcknowledged += OnAcknowledged;
        if (!wokeFromSleep)
        {
            Boots++;
        }
    }

    private void OnAcknowledged(Sample[] batch, int count)
    {
        for (int i = 0; i < count; i++)
        {
            _acknowledged.Add((batch[i].Boot, batch[i].Seq));
        }
    }

    private sealed class EmulatedPlatform : INodePlatform
    {
        public string FirmwareVersion => "emulator-1.0";

        /// <summary>Reported through the run record by DeviceApp.</summary>
        public string ResetReason => "unknown";

        public double BatteryVolts => 3.95;

        public int RssiDbm => -62;

        public long FreeMemoryBytes => 48000;
    }
}
