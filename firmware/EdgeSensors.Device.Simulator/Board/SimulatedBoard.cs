using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Threading;
using System.Threading.Tasks;
using EdgeSensors.Device.Parts;

namespace EdgeSensors.Device.Simulator.Board;

/// <summary>
/// The node's board as wired in hardware/node-esp32: an ESP32 running the device program, the sensor rail switched by
/// a P-MOSFET on GPIO 27 (gate low = on; the gate's pull-up keeps it off while the pin is an input, as it is after
/// every reset), and on that rail the BME280 (0x76), the node-side ADS1115 (0x48) and, through the isolated supply,
/// the EC board's ADS1115 (0x49); the Li-ion cell on ADC1 channel 6; Wi-Fi that can be in range or not; internal flash.
/// <para>
/// The program runs as the chip runs it: <see cref="PowerOn"/> boots it; a deep sleep, a software reboot or a power cut
/// ends the run (its RAM, its threads and its sockets are gone) and the next boot starts the program again from
/// <c>Main</c> in a fresh load context, with only the flash and the RTC's time carried over as the chip carries them.
/// </para>
/// </summary>
public sealed class SimulatedBoard : IAsyncDisposable
{
    /// <summary>GPIO of the sensor-rail switch (PinMap.SensorPower).</summary>
    public const int SensorRailPin = 27;

    /// <summary>GPIO of the ranger's trigger (PinMap.UltrasonicTrigger) and of its output pulse (PinMap.UltrasonicEcho).</summary>
    public const int RangerTriggerPin = 25;

    /// <inheritdoc cref="RangerTriggerPin"/>
    public const int RangerPulsePin = 26;

    private readonly List<BoardEvent> _events = [];
    private readonly object _gate = new();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Dictionary<int, bool> _outputs = [];
    private readonly CancellationTokenSource _dispose = new();
    private ProgramImage? _image;
    private Task? _supervisor;
    private BoardRun? _run;
    private bool _powered;
    private bool _wifiInRange = true;
    private int _boots;
    private (double DelayMs, double WidthMicroseconds)? _rangerPulse;

    public SimulatedBoard(double speed = 20)
    {
        Clock = new BoardClock(speed);
        Bme280 = new Bme280Chip(0x76);
        FrontAdc = new Ads1115Chip(0x48, 3.3, [() => 0.25, () => 2.5, Ntc.PinVolts, () => Ntc.RailVolts / 2], seed: 12);
        IsolatedAdc = new Ads1115Chip(0x49, 3.3, [EcBoard.OutputVolts, () => 0, () => 0, () => 0], seed: 11);

        // Typical parts (hardware/node-esp32/README.md, "Part tolerances"): each ADS1115 at its datasheet's typical gain
        // error (0.01 %) and an offset of 1 LSB; the EC board, the NTC and the rail at their nominal values.
        FrontAdc.GainError = 0.0001;
        FrontAdc.OffsetLsb = 1;
        IsolatedAdc.GainError = 0.0001;
        IsolatedAdc.OffsetLsb = 1;
        Flash.TrapSprung += _ => CutPowerFromInside();
    }

    public BoardClock Clock { get; }

    public BoardFlash Flash { get; } = new();

    public LiIonCell Battery { get; } = new();

    /// <summary>The EC board on the isolated ADS1115's AIN0 (2.44 mS/cm by default: about 1.3 ‰ at 25 °C).</summary>
    public Dfr0300Board EcBoard { get; } = new() { ConductivityMsCm = 2.44 };

    /// <summary>
    /// The MaxSonar ranger wired to GPIO 25 (pin 4, trigger) and GPIO 26 (pin 2, pulse, through the divider), on the
    /// switched 5 V rail; null when none is fitted (the default board measures the level by pressure).
    /// </summary>
    public MaxSonarRanger? Ranger { get; set; }

    /// <summary>The water-temperature NTC on the node-side ADS1115's AIN2.</summary>
    public NtcDivider Ntc { get; } = new();

    public Bme280Chip Bme280 { get; }

    /// <summary>ADS1115 #1 (0x48): AIN0 pressure transducer, AIN1 the 5 V rail's divider, AIN2 the NTC divider.</summary>
    public Ads1115Chip FrontAdc { get; }

    /// <summary>ADS1115 #2 (0x49) on the isolated side: AIN0 the EC board.</summary>
    public Ads1115Chip IsolatedAdc { get; }

    /// <summary>The access point's name.</summary>
    public string WifiSsid { get; set; } = "UBND-ViThanh";

    /// <summary>The access point's password.</summary>
    public string WifiPassword { get; set; } = "mat-khau-wifi";

    /// <summary>Signal strength of the access point at the node, dBm.</summary>
    public int WifiRssiDbm { get; set; } = -67;

    /// <summary>Whether the SNTP server (the gateway) answers.</summary>
    public bool NtpAnswers { get; set; } = true;

    /// <summary>Whether the access point is in range; taking it away drops the node's connections at once.</summary>
    public bool WifiInRange
    {
        get => _wifiInRange;
        set
        {
            _wifiInRange = value;
            if (!value)
            {
                _run?.LoseLink();
            }

            Record("wifi_range", value ? "in range" : "out of range", _run);
        }
    }

    /// <summary>Whether the sensor rail is on now.</summary>
    public bool SensorRailOn => _powered && _outputs.TryGetValue(SensorRailPin, out bool high) && !high;

    /// <summary>The current program run, or null while the chip is off.</summary>
    public BoardRun? Run => _run;

    /// <summary>Program runs so far.</summary>
    public int Boots => _boots;

    /// <summary>Everything the board saw, in order.</summary>
    public IReadOnlyList<BoardEvent> Events
    {
        get
        {
            lock (_gate)
            {
                return [.. _events];
            }
        }
    }

    /// <summary>Hosts whose NTP service the node can reach (the gateway serves NTP to its LAN; the canal has no internet).</summary>
    public ISet<string> NtpHosts { get; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "127.0.0.1" };

    internal nanoFramework.Hardware.Esp32.Sleep.WakeupCause WakeCause { get; private set; }

    /// <summary>I2C1 reaches the parts only when the program routed it to GPIO 21 (data) and 22 (clock), as they are wired.</summary>
    internal bool I2c1Routed => _run is { } r
        && r.PinFunctions.TryGetValue(21, out int data) && data == (int)nanoFramework.Hardware.Esp32.DeviceFunction.I2C1_DATA
        && r.PinFunctions.TryGetValue(22, out int clock) && clock == (int)nanoFramework.Hardware.Esp32.DeviceFunction.I2C1_CLOCK;

    internal IEnumerable<I2cPart> I2cParts => [Bme280, FrontAdc, IsolatedAdc];

    /// <summary>Connects the battery with this program on flash: the chip boots and runs it.</summary>
    public void PowerOn(ProgramImage image)
    {
        _image = image;
        if (_supervisor == null)
        {
            _powered = true;
            _supervisor = Task.Factory.StartNew(Supervise, TaskCreationOptions.LongRunning).Unwrap();
        }
        else
        {
            RestorePower();
        }
    }

    /// <summary>Pulls the battery: the program stops wherever it is, the RTC loses its time, the flash keeps what was written.</summary>
    public void CutPower()
    {
        _powered = false;
        BoardRun? run = _run;
        if (run != null && run.TryHalt(HaltKind.PowerLoss))
        {
            Record("halt", "power cut", run);
        }

        Signal();
    }

    /// <summary>Reconnects the battery after <see cref="CutPower"/>.</summary>
    public void RestorePower()
    {
        _powered = true;
        Signal();
    }

    /// <summary>Waits until <paramref name="condition"/> holds, or fails saying what it saw.</summary>
    public async Task WaitForAsync(Func<SimulatedBoard, bool> condition, TimeSpan timeout, string what)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (!condition(this))
        {
            try
            {
                await _changed.WaitAsync(TimeSpan.FromMilliseconds(200), cts.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The board did not reach \"{what}\" within {timeout.TotalSeconds:F0} s. Last events:\n{Tail(40)}");
            }

            if (_supervisor is { IsFaulted: true } s)
            {
                ExceptionDispatchInfo.Capture(s.Exception!.GetBaseException()).Throw();
            }
        }
    }

    /// <summary>The last events, one a line, for a test's message.</summary>
    public string Tail(int count)
    {
        IReadOnlyList<BoardEvent> all = Events;
        return string.Join('\n', all.Skip(Math.Max(0, all.Count - count)).Select(e => $"  #{e.Boot} {e.VirtualMs / 1000.0,9:F1}s {e.Kind}: {e.Detail}"));
    }

    public async ValueTask DisposeAsync()
    {
        _dispose.Cancel();
        _powered = false;
        _run?.TryHalt(HaltKind.PowerLoss);
        Signal();
        if (_supervisor != null)
        {
            try
            {
                await _supervisor.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Disposed while waiting.
            }
        }

        _changed.Dispose();
    }

    internal void Record(string kind, string detail, BoardRun? run, string? topic = null, byte[]? payload = null, long number = 0)
    {
        lock (_gate)
        {
            _events.Add(new BoardEvent(kind, detail, run?.Number ?? 0, Clock.VirtualMs, topic, payload, number));
        }

        Signal();
    }

    /// <summary>A high level of <paramref name="highMicroseconds"/> on <paramref name="pin"/>: the ranger answers if it is wired there.</summary>
    internal void TriggerRanger(BoardRun run, int pin, double highMicroseconds)
    {
        run.Check();
        double? width = pin == RangerTriggerPin ? Ranger?.Trigger(highMicroseconds, SensorRailOn) : null;
        _rangerPulse = width is { } w ? (MaxSonarRanger.PulseDelayMs, w) : null;
        Record("ranger", width is { } v ? $"trigger {highMicroseconds:F1} µs → pulse {v:F0} µs" : $"trigger {highMicroseconds:F1} µs → no range cycle", run);
    }

    /// <summary>The pulse waiting on <paramref name="pin"/> since the last trigger, taken once.</summary>
    internal (double DelayMs, double WidthMicroseconds)? TakeRangerPulse(int pin)
    {
        (double, double)? pulse = pin == RangerPulsePin ? _rangerPulse : null;
        _rangerPulse = null;
        return pulse;
    }

    internal void WritePin(int pin, bool high)
    {
        _outputs[pin] = high;
        UpdateRail();
    }

    internal void ReleasePin(int pin)
    {
        _outputs.Remove(pin);
        UpdateRail();
    }

    /// <summary>Called by <c>Sleep.StartDeepSleep</c> and <c>Power.RebootDevice</c> on the program's thread.</summary>
    internal void Stop(BoardRun run, HaltKind kind, string detail, long number = 0)
    {
        if (run.TryHalt(kind))
        {
            Record(kind == HaltKind.DeepSleep ? "deep_sleep" : "halt", detail, run, number: number);
        }

        throw new ProgramHaltedException();
    }

    private void CutPowerFromInside()
    {
        Record("halt", "power cut inside a flash write", _run);
        CutPower();
    }

    private void UpdateRail()
    {
        bool on = SensorRailOn;
        foreach (I2cPart part in I2cParts)
        {
            part.SetPowered(on);
        }
    }

    private void Signal()
    {
        if (_changed.CurrentCount < 64)
        {
            _changed.Release();
        }
    }

    private async Task Supervise()
    {
        CancellationToken stop = _dispose.Token;
        WakeCause = nanoFramework.Hardware.Esp32.Sleep.WakeupCause.Undefined;
        Clock.ResetRtc();
        while (!stop.IsCancellationRequested)
        {
            if (!_powered)
            {
                await _changed.WaitAsync(500, stop).ConfigureAwait(false);
                continue;
            }

            var run = new BoardRun(this, Interlocked.Increment(ref _boots));
            _outputs.Clear();
            UpdateRail();
            Clock.StartBoot();
            _run = run;
            Record("boot", WakeCause == nanoFramework.Hardware.Esp32.Sleep.WakeupCause.Timer ? "timer wake-up" : "reset", run);
            (System.Runtime.Loader.AssemblyLoadContext context, MethodInfo main) = _image!.Load(run.Number);
            var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var thread = new Thread(() =>
            {
                BoardRun.Enter(run);
                try
                {
                    main.Invoke(null, null);
                    if (run.TryHalt(HaltKind.ProgramEnded))
                    {
                        Record("program_ended", "Main returned", run);
                    }
                }
                catch (TargetInvocationException e) when (e.InnerException is ProgramHaltedException)
                {
                    // The chip stopped under the program.
                }
                catch (TargetInvocationException e)
                {
                    if (run.TryHalt(HaltKind.ProgramEnded))
                    {
                        Record("program_ended", "unhandled " + e.InnerException!.GetType().Name + ": " + e.InnerException.Message, run);
                    }
                }
                finally
                {
                    done.TrySetResult();
                }
            })
            {
                IsBackground = true,
                Name = "node program run " + run.Number,
            };
            thread.Start();

            // Until the run stops; then until its thread has unwound (every board call throws to it now).
            using (var either = CancellationTokenSource.CreateLinkedTokenSource(run.HaltedToken, stop))
            {
                try
                {
                    await Task.Delay(Timeout.Infinite, either.Token).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    // Halted or disposed.
                }
            }

            run.TryHalt(HaltKind.PowerLoss);
            await Task.WhenAny(done.Task, Task.Delay(TimeSpan.FromSeconds(10), CancellationToken.None)).ConfigureAwait(false);
            _run = null;
            _outputs.Clear();
            UpdateRail();
            context.Unload();

            switch (run.Halt)
            {
                case HaltKind.DeepSleep when run.WakeupTimerMs >= 0:
                    Clock.Jump(run.WakeupTimerMs);
                    WakeCause = nanoFramework.Hardware.Esp32.Sleep.WakeupCause.Timer;
                    break;
                case HaltKind.Reboot:
                    WakeCause = nanoFramework.Hardware.Esp32.Sleep.WakeupCause.Undefined;
                    break;
                default:
                    // The power went, or the program ended or slept with no wake-up source (the chip then stays as it
                    // is until the power is cycled): the next boot is a power-on, with the RTC unset.
                    if (run.Halt != HaltKind.PowerLoss)
                    {
                        _powered = false;
                    }

                    Clock.ResetRtc();
                    WakeCause = nanoFramework.Hardware.Esp32.Sleep.WakeupCause.Undefined;
                    break;
            }
        }
    }
}
