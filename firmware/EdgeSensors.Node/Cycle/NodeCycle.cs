using System;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Numerics;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Cycle;

/// <summary>
/// The node's life as a polled state machine: wake → sample → connect → publish backlog and new samples (oldest
/// first) → wait for each PUBACK → sleep. Failures back off exponentially with jitter; samples wait in the
/// outbox, which survives reboots. Call <see cref="Step"/> whenever the delay it returned has passed. Nothing here
/// blocks or allocates threads, so one thread drives a whole emulated fleet and tests drive it with a fake clock.
/// </summary>
public sealed class NodeCycle
{
    /// <summary>Name of the stored last good remote config document.</summary>
    public const string RemoteConfigDocument = "config.json";

    /// <summary>First backoff delay, ms.</summary>
    public const long BackoffBaseMs = 1000;

    /// <summary>Largest backoff delay, ms.</summary>
    public const long BackoffMaxMs = 300000;

    /// <summary>Connection attempts per wake in deep-sleep mode before giving up until the next wake.</summary>
    public const int AttemptsPerWake = 3;

    /// <summary>
    /// Battery volts (measured at rest, before the radio starts) below which the node stops using Wi-Fi: an NCR18650B
    /// at 3.3 V open-circuit holds under 5 % of its charge, and a Wi-Fi transmit peak (≈ 0.4 A through the cell's
    /// ~0.1 Ω and the wiring) would pull it under the ESP32's 3.0 V minimum at the regulator. The cell's protection IC
    /// cuts off in hardware at 2.5 V; the firmware stops well before that, having said so.
    /// </summary>
    public const double BatteryCutoffVolts = 3.30;

    /// <summary>Battery volts at which the node transmits again after a cutoff (the panel has recharged the cell).</summary>
    public const double BatteryResumeVolts = 3.60;

    /// <summary>
    /// The low-battery cutoff's state on flash: a deep sleep restarts the program and clears RAM, and the hysteresis
    /// (stop below <see cref="BatteryCutoffVolts"/>, resume at <see cref="BatteryResumeVolts"/>) and the one announcement
    /// must survive it.
    /// </summary>
    public const string BatteryStateDocument = "battery.state";

    /// <summary>Fault the node reports in status when it stops transmitting for a low battery.</summary>
    public const string BatteryCutoffFault = "battery_v:low_cutoff";

    private const long ConnectTimeoutMs = 15000;
    private const long AckTimeoutMs = 10000;
    private const long PollMs = 20;
    private const int MaxBatchSamples = 120;

    private readonly NodeConfig _deviceConfig;
    private readonly INodeClock _clock;
    private readonly INodeTransport _transport;
    private readonly ISensorSampler _sampler;
    private readonly INodePlatform _platform;
    private readonly IDocumentStorage _documents;
    private readonly SampleOutbox _outbox;
    private readonly Random _random;
    private readonly SampleSequencer _sequencer;
    private NodeConfig _config;
    private SampleProcessor _processor;
    private string[] _faults = new string[0];
    private string _configError = string.Empty;
    private long _nextSampleAtMs;
    private long _deadlineMs;
    private long _backoffUntilMs;
    private int _failures;
    private int _attemptsThisWake;
    private bool _connectStarted;
    private bool _statusDue = true;
    private int _token;
    private int _inFlight;
    private Sample[] _inFlightBatch = new Sample[0];
    private bool _cutoffAnnounced;

    /// <summary>
    /// Builds the cycle. <paramref name="wokeFromDeepSleep"/> continues the boot id and seq of the newest outbox
    /// record; any other start is a new boot with a new random boot id.
    /// </summary>
    public NodeCycle(
        NodeConfig deviceConfig,
        SampleOutbox outbox,
        INodeClock clock,
        INodeTransport transport,
        ISensorSampler sampler,
        INodePlatform platform,
        IDocumentStorage documents,
        Random random,
        bool wokeFromDeepSleep)
    {
        _deviceConfig = deviceConfig;
        _outbox = outbox;
        _clock = clock;
        _transport = transport;
        _sampler = sampler;
        _platform = platform;
        _documents = documents;
        _random = random;
        _sequencer = wokeFromDeepSleep && outbox.LastBoot != 0
            ? SampleSequencer.Resume(outbox.LastBoot, outbox.LastSeq)
            : SampleSequencer.NewBoot(random, outbox.LastBoot);

        _config = deviceConfig;
        byte[]? stored = documents.Read(RemoteConfigDocument);
        if (stored != null)
        {
            NodeConfig? applied = ConfigDecoder.ApplyRemote(deviceConfig, stored, out string error);
            if (applied != null)
            {
                _config = applied;
            }
            else
            {
                _configError = "stored config ignored: " + error;
            }
        }

        _processor = new SampleProcessor(_config);
        _nextSampleAtMs = clock.MonotonicMs;
        LoadCutoff();
        State = CycleState.Wake;
    }

    /// <summary>Current state.</summary>
    public CycleState State { get; private set; }

    /// <summary>The config in force (node.json plus the last good remote config).</summary>
    public NodeConfig Config => _config;

    /// <summary>Boot id of this boot.</summary>
    public uint Boot => _sequencer.Boot;

    /// <summary>Samples taken in this boot.</summary>
    public long SamplesTaken { get; private set; }

    /// <summary>Samples the gateway acknowledged (PUBACK) since this object was built.</summary>
    public long AcknowledgedCount { get; private set; }

    /// <summary>Failed connection or publish attempts since this object was built.</summary>
    public long Failures { get; private set; }

    /// <summary>
    /// True while the battery is below <see cref="BatteryCutoffVolts"/> (until it recovers to
    /// <see cref="BatteryResumeVolts"/>): the node keeps measuring into its outbox but does not start Wi-Fi, after one
    /// last status that says so.
    /// </summary>
    public bool BatteryCutoff { get; private set; }

    /// <summary>Faults found in the last measurement.</summary>
    public string[] Faults => _faults;

    /// <summary>Why the last config was refused, or empty.</summary>
    public string ConfigError => _configError;

    /// <summary>The outbox.</summary>
    public SampleOutbox Outbox => _outbox;

    /// <summary>Set when the node should now deep-sleep for <see cref="SleepDurationMs"/> (deep-sleep mode only).</summary>
    public bool DeepSleepRequested { get; private set; }

    /// <summary>How long to deep-sleep, ms.</summary>
    public long SleepDurationMs { get; private set; }

    /// <summary>Raised after each PUBACK with the samples it covered (the emulator reconciles with the IOC from it).</summary>
    public event SamplesAcknowledgedHandler? SamplesAcknowledged;

    /// <summary>The sample just taken, if the last step took one (emulator reports and tests read it).</summary>
    public Sample? LastSample { get; private set; }

    /// <summary>Records a config problem found outside the cycle (node.json refused at boot); it goes out in status.</summary>
    public void ReportConfigError(string error)
    {
        _configError = error;
        _statusDue = true;
    }

    /// <summary>Called after a deep sleep that did not reset the process (the emulator, tests): starts the next cycle.</summary>
    public void WakeFromSleep()
    {
        DeepSleepRequested = false;
        _attemptsThisWake = 0;
        State = CycleState.Wake;
    }

    /// <summary>Advances the state machine; returns the delay in ms before the next call is useful.</summary>
    public long Step()
    {
        long now = _clock.MonotonicMs;
        switch (State)
        {
            case CycleState.Wake:
                State = _config.Mode == PowerMode.DeepSleep || now >= _nextSampleAtMs ? CycleState.Sample : BatteryCutoff ? CycleState.Sleep : CycleState.Connect;
                return 0;

            case CycleState.Sample:
                TakeSample(now);
                if (UpdateBatteryCutoff())
                {
                    // Measuring costs milliamps for a second; Wi-Fi costs a hundred for several. Samples wait in the outbox.
                    State = _cutoffAnnounced ? CycleState.Sleep : CycleState.Connect;
                    return 0;
                }

                State = _backoffUntilMs > now ? CycleState.Backoff : CycleState.Connect;
                return 0;

            case CycleState.Connect:
                return StepConnect(now);

            case CycleState.Publish:
                return StepPublish(now);

            case CycleState.AwaitAck:
                return StepAwaitAck(now);

            case CycleState.Backoff:
                if (_config.Mode == PowerMode.AlwaysOn && now >= _nextSampleAtMs)
                {
                    State = CycleState.Sample;
                    return 0;
                }

                if (now >= _backoffUntilMs)
                {
                    State = CycleState.Connect;
                    return 0;
                }

                return Earliest(_backoffUntilMs, _nextSampleAtMs, now);

            default:
                return StepSleep(now);
        }
    }

    private void TakeSample(long now)
    {
        RawFrame frame = _sampler.Read(_config.BurstSize);
        ProcessedSample processed = _processor.Process(frame, now / 1000.0);
        if (!SameFaults(processed.Faults, _faults))
        {
            _statusDue = true;
        }

        _faults = processed.Faults;
        var sample = new Sample(_sequencer.Boot, _sequencer.Next(), _clock.UnixSeconds, _clock.IsSynchronized, processed.Reading);
        _outbox.Append(sample);
        LastSample = sample;
        SamplesTaken++;

        // Keep a fixed cadence; if the node fell behind (a long outage in always-on mode), skip missed slots.
        long interval = _config.IntervalSeconds * 1000L;
        _nextSampleAtMs += interval;
        if (_nextSampleAtMs <= now)
        {
            _nextSampleAtMs = now + interval;
        }
    }

    private long StepConnect(long now)
    {
        if (_transport.State == TransportState.Connected)
        {
            _connectStarted = false;
            State = CycleState.Publish;
            return 0;
        }

        if (!_connectStarted)
        {
            _connectStarted = true;
            _attemptsThisWake++;
            _deadlineMs = now + ConnectTimeoutMs;
            _statusDue = true;
            _transport.BeginConnect(new ConnectRequest(
                _config.GatewayHost,
                _config.GatewayPort,
                _config.GatewayTls,
                _config.NodeId,
                _config.NodeId,
                _config.Password,
                Topics.Status(_config.NodeId),
                StatusEncoder.Offline(_config.NodeId, _sequencer.Boot),
                Topics.Config(_config.NodeId)) { CaPem = _config.GatewayCaPem });
            return PollMs;
        }

        if (_transport.State == TransportState.Failed || now >= _deadlineMs)
        {
            return Fail(now);
        }

        return PollMs;
    }

    private long StepPublish(long now)
    {
        if (_transport.State != TransportState.Connected)
        {
            return Fail(now);
        }

        ApplyIncomingConfig();
        if (_statusDue)
        {
            _statusDue = false;
            _transport.Publish(Topics.Status(_config.NodeId), StatusEncoder.Online(BuildStatus()), true);
        }

        if (BatteryCutoff)
        {
            // The last word before the radio stays off: the status above says battery_v:low_cutoff.
            MarkCutoffAnnounced();
            State = CycleState.Sleep;
            return 0;
        }

        if (_config.Mode == PowerMode.AlwaysOn && now >= _nextSampleAtMs)
        {
            State = CycleState.Sample;
            return 0;
        }

        Sample[] batch = _outbox.Peek(MaxBatchSamples);
        if (batch.Length == 0)
        {
            State = CycleState.Sleep;
            return 0;
        }

        byte[] payload = TelemetryEncoder.Encode(_config.NodeId, batch, _platform.BatteryVolts, _platform.RssiDbm, Topics.MaxPayloadBytes, out int included);
        _token = _transport.Publish(Topics.Telemetry(_config.NodeId), payload, false);
        if (_token < 0)
        {
            return Fail(now);
        }

        _inFlight = included;
        _inFlightBatch = batch;
        _deadlineMs = now + AckTimeoutMs;
        State = CycleState.AwaitAck;
        return PollMs;
    }

    private long StepAwaitAck(long now)
    {
        PublishState state = _transport.GetPublishState(_token);
        if (state == PublishState.Acknowledged)
        {
            _outbox.Acknowledge(_inFlight);
            AcknowledgedCount += _inFlight;
            SamplesAcknowledgedHandler? handler = SamplesAcknowledged;
            if (handler != null)
            {
                handler(_inFlightBatch, _inFlight);
            }

            _inFlight = 0;
            _failures = 0;
            State = CycleState.Publish;
            return 0;
        }

        if (state == PublishState.Failed || _transport.State != TransportState.Connected || now >= _deadlineMs)
        {
            _inFlight = 0;
            return Fail(now);
        }

        return PollMs;
    }

    private long StepSleep(long now)
    {
        if (_config.Mode == PowerMode.DeepSleep)
        {
            if (!DeepSleepRequested)
            {
                _transport.Disconnect();
                DeepSleepRequested = true;
                long wait = _nextSampleAtMs - now;
                SleepDurationMs = wait > 0 ? wait : 0;
            }

            // The host deep-sleeps now; if it calls Step again instead, wake when the next sample is due.
            if (now >= _nextSampleAtMs)
            {
                WakeFromSleep();
                return 0;
            }

            return _nextSampleAtMs - now;
        }

        // Always on: stay connected, take config changes, and wake for the next sample.
        if (now >= _nextSampleAtMs)
        {
            State = CycleState.Wake;
            return 0;
        }

        if (BatteryCutoff)
        {
            if (_transport.State == TransportState.Connected)
            {
                _transport.Disconnect();
            }

            long untilNext = _nextSampleAtMs - now;
            return untilNext < 500 ? untilNext : 500;
        }

        if (_transport.State != TransportState.Connected)
        {
            State = CycleState.Connect;
            return 0;
        }

        ApplyIncomingConfig();
        if (_statusDue)
        {
            State = CycleState.Publish;
            return 0;
        }

        long untilSample = _nextSampleAtMs - now;
        return untilSample < 500 ? untilSample : 500;
    }

    private long Fail(long now)
    {
        Failures++;
        _failures++;
        _connectStarted = false;
        _transport.Disconnect();

        // Exponential backoff with "equal jitter": half the delay fixed, half random, so a fleet that lost the
        // gateway together does not come back in lock-step.
        long delay = BackoffBaseMs;
        for (int i = 1; i < _failures && delay < BackoffMaxMs; i++)
        {
            delay *= 2;
        }

        if (delay > BackoffMaxMs)
        {
            delay = BackoffMaxMs;
        }

        delay = (delay / 2) + (long)(_random.NextDouble() * (delay / 2));
        _backoffUntilMs = now + delay;

        if (BatteryCutoff)
        {
            // One try to say so; a low cell does not get retries.
            MarkCutoffAnnounced();
            State = CycleState.Sleep;
            return 0;
        }

        if (_config.Mode == PowerMode.DeepSleep && _attemptsThisWake >= AttemptsPerWake)
        {
            // Save the battery: the outbox keeps the samples until the next wake.
            State = CycleState.Sleep;
            return 0;
        }

        State = CycleState.Backoff;
        return _config.Mode == PowerMode.AlwaysOn ? Earliest(_backoffUntilMs, _nextSampleAtMs, now) : delay;
    }

    private void ApplyIncomingConfig()
    {
        byte[]? message = _transport.TakeConfigMessage();
        while (message != null)
        {
            if (message.Length > 0)
            {
                NodeConfig? applied = ConfigDecoder.ApplyRemote(_deviceConfig, message, out string error);
                string unaffordable = applied == null ? string.Empty : Unaffordable(applied);
                if (applied == null)
                {
                    _configError = error;
                }
                else if (unaffordable.Length > 0)
                {
                    // The whole document is refused (nothing changes), and the status says why: the gateway reads it.
                    _configError = unaffordable;
                }
                else
                {
                    bool intervalChanged = applied.IntervalSeconds != _config.IntervalSeconds;
                    _config = applied;
                    _configError = string.Empty;
                    _processor = new SampleProcessor(_config);
                    _documents.Write(RemoteConfigDocument, message);
                    if (intervalChanged)
                    {
                        _nextSampleAtMs = _clock.MonotonicMs + (_config.IntervalSeconds * 1000L);
                    }
                }

                _statusDue = true;
            }

            message = _transport.TakeConfigMessage();
        }
    }

    /// <summary>
    /// Empty, or why a battery node refuses a shorter interval: the charge its cell has left (at rest) must pay for
    /// the new interval over <see cref="PowerBudget.ReserveDays"/> without sun. Mains nodes and longer intervals pass;
    /// so does a node that cannot measure its battery (it has none to protect).
    /// </summary>
    private string Unaffordable(NodeConfig applied)
    {
        double volts = _platform.BatteryVolts;
        if (applied.Mode != PowerMode.DeepSleep || applied.IntervalSeconds >= _config.IntervalSeconds || !FloatMath.IsFinite(volts) || volts <= 0
            || PowerBudget.CanAfford(applied.IntervalSeconds, volts))
        {
            return string.Empty;
        }

        return "interval_s " + applied.IntervalSeconds + " refused: battery " + volts.ToString("F2") + " V pays for "
            + PowerBudget.ShortestAffordableSeconds(volts) + " s or longer";
    }

    private bool UpdateBatteryCutoff()
    {
        double volts = _platform.BatteryVolts;
        if (!FloatMath.IsFinite(volts))
        {
            return BatteryCutoff;
        }

        if (!BatteryCutoff && volts < BatteryCutoffVolts)
        {
            BatteryCutoff = true;
            _cutoffAnnounced = false;
            _statusDue = true;
            SaveCutoff();
        }
        else if (BatteryCutoff && volts >= BatteryResumeVolts)
        {
            BatteryCutoff = false;
            _cutoffAnnounced = false;
            _statusDue = true;
            SaveCutoff();
        }

        return BatteryCutoff;
    }

    private void MarkCutoffAnnounced()
    {
        if (!_cutoffAnnounced)
        {
            _cutoffAnnounced = true;
            SaveCutoff();
        }
    }

    private void SaveCutoff() =>
        _documents.Write(BatteryStateDocument, Utf8.Encode("v1 " + (BatteryCutoff ? "1" : "0") + " " + (_cutoffAnnounced ? "1" : "0")));

    /// <summary>Reads the cutoff state kept across restarts; a missing or damaged record means "not cut off".</summary>
    private void LoadCutoff()
    {
        byte[]? raw = _documents.Read(BatteryStateDocument);
        string? text = raw == null || raw.Length > 16 ? null : Utf8.Decode(raw, 0, raw.Length);
        if (text == null)
        {
            return;
        }

        string[] parts = text.Split(' ');
        if (parts.Length == 3 && parts[0] == "v1" && (parts[1] == "0" || parts[1] == "1") && (parts[2] == "0" || parts[2] == "1"))
        {
            BatteryCutoff = parts[1] == "1";
            _cutoffAnnounced = BatteryCutoff && parts[2] == "1";
        }
    }

    private string[] StatusFaults()
    {
        if (!BatteryCutoff)
        {
            return _faults;
        }

        string[] all = new string[_faults.Length + 1];
        for (int i = 0; i < _faults.Length; i++)
        {
            all[i] = _faults[i];
        }

        all[_faults.Length] = BatteryCutoffFault;
        return all;
    }

    private NodeStatus BuildStatus() => new NodeStatus
    {
        Node = _config.NodeId,
        Firmware = _platform.FirmwareVersion,
        Boot = _sequencer.Boot,
        ResetReason = _platform.ResetReason,
        BatteryVolts = _platform.BatteryVolts,
        RssiDbm = _platform.RssiDbm,
        FreeMemoryBytes = _platform.FreeMemoryBytes,
        OutboxDepth = _outbox.Count,
        OutboxDropped = _outbox.Dropped,
        Faults = StatusFaults(),
        ConfigError = _configError,
        ConfigRevision = _config.Revision,
        ClockSynchronized = _clock.IsSynchronized,
        IntervalSeconds = _config.IntervalSeconds,
        Mode = _config.Mode == PowerMode.AlwaysOn ? "always_on" : "deep_sleep",
    };

    private static long Earliest(long a, long b, long now)
    {
        long t = a < b ? a : b;
        return t > now ? t - now : 0;
    }

    private static bool SameFaults(string[] a, string[] b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (int i = 0; i < a.Length; i++)
        {
            if (a[i] != b[i])
            {
                return false;
            }
        }

        return true;
    }
}
