using System.Device.Gpio;
using System.Device.I2c;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Store;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Gpio;

/// <summary>
/// Runs the signal panel: real GPIO through System.Device.Gpio on a Raspberry Pi, the simulated driver elsewhere
/// (its state is on the page and the API). Also reads the enclosure's BME280 on the Pi's I2C bus for gateway health.
/// </summary>
public sealed class SignalService : BackgroundService
{
    private readonly GpioOptions _options;
    private readonly AlertEngine _alerts;
    private readonly LiveFeed _live;
    private readonly ILogger<SignalService> _log;

    private readonly string _site;
    private int _disposed;
    private readonly IReadingQueries _store;
    private readonly IReadingFeed _feed;
    private readonly INodeDirectory _nodes;
    private readonly AlertLevel _relayLevel;

    public SignalService(IOptions<GpioOptions> options, IOptions<EdgeSensors.Gateway.Options.GatewayOptions> gateway, AlertEngine alerts, LiveFeed live, IReadingFeed feed, IReadingQueries store, INodeDirectory nodes, ILogger<SignalService> log)
    {
        _options = options.Value;
        _store = store;
        _feed = feed;
        _nodes = nodes;
        _relayLevel = Enum.Parse<AlertLevel>(_options.RelayLevel, ignoreCase: true);
        Interlock = new RelayInterlock(new RelayRule(_options.RelayConfirmSeconds, _options.RelayMinPublishes, _options.RelayMinAgreeingNodes,
            _options.RelayMaxAgeMinutes * 60, _options.RelayHysteresisPpt, new HashSet<string>(_options.RelayNodes, StringComparer.Ordinal)),
            nodes.Count);
        _site = gateway.Value.Site;
        _alerts = alerts;
        _live = live;
        _log = log;
        bool hardware = _options.Driver == "hardware" || (_options.Driver == "auto" && IsRaspberryPi());
        Simulated = hardware ? null : new SimulatedGpioDriver();
        Controller = Simulated == null ? new GpioController() : new GpioController(Simulated);
        Panel = new SignalPanel(Controller, _options);
        DriverName = Simulated == null ? "hardware (System.Device.Gpio)" : "simulated";
    }

    public GpioController Controller { get; }

    /// <summary>The simulated driver, when not on a Pi.</summary>
    public SimulatedGpioDriver? Simulated { get; }

    public SignalPanel Panel { get; }

    /// <summary>What moves the relay: salinity confirmed on the gateway's clock.</summary>
    public RelayInterlock Interlock { get; }

    public string DriverName { get; }

    /// <summary>Last enclosure reading (temperature °C, humidity %), or null when no sensor answers.</summary>
    public (double TemperatureC, double HumidityPct, DateTimeOffset At)? Enclosure { get; private set; }

    public static bool IsRaspberryPi()
    {
        try
        {
            return File.Exists("/proc/device-tree/model") && File.ReadAllText("/proc/device-tree/model").Contains("Raspberry Pi", StringComparison.Ordinal);
        }
        catch (IOException)
        {
            return false;
        }
    }

    public override void Dispose()
    {
        // Registered as itself and as a hosted service, the container disposes it twice on a stop: the second time
        // must do nothing (it used to write to the disposed controller and end every clean stop with exit 134).
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        Panel.Dispose(); // pins to their safe state: relay de-energised, buzzer and lamps off
        Controller.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        _log.LogInformation(GpioEvents.Started, "Signals on {Driver} GPIO: green {Green}, amber {Amber}, red {Red}, buzzer {Buzzer}, relay {Relay}, silence button {Button}",
            DriverName, _options.GreenPin, _options.AmberPin, _options.RedPin, _options.BuzzerPin, _options.RelayEnabled ? _options.RelayPin.ToString(System.Globalization.CultureInfo.InvariantCulture) : "disabled", _options.SilenceButtonPin);
        try
        {
            await Panel.TestPatternAsync(stoppingToken).ConfigureAwait(false);
            _alerts.Changed += OnChanged;
            (AlertLevel level, bool blink) = _alerts.Signal();
            Panel.SetLevel(level, DateTimeOffset.UtcNow, blink);
            ReplayRecentReadings();
            _feed.Committed += OnCommitted;
            Bme280? enclosure = OpenEnclosureSensor();
            MainsMonitor? mains = _options.AcFailMonitor ? new MainsMonitor(Controller, _options.AcFailPin, TimeSpan.FromSeconds(2)) : null;
            DateTimeOffset nextEnclosure = DateTimeOffset.MinValue;
            DateTimeOffset nextLevel = DateTimeOffset.UtcNow.AddSeconds(5);
            string last = string.Empty;

            // The button is sampled twice per debounce time (25 ms by default; a press is a 50 ms hold) and the amber
            // light blinks at 1 Hz: faster gains nothing. At 10 ms this loop alone kept an idle gateway at 5–7 % of
            // a core, each wake-up a thread-pool worker's spin (issue 33, dotnet-trace of an idle gateway).
            TimeSpan tick = TimeSpan.FromMilliseconds(Math.Clamp(_options.DebounceMs / 2, 5, 250));
            while (!stoppingToken.IsCancellationRequested)
            {
                DateTimeOffset now = DateTimeOffset.UtcNow;
                Panel.SetRelayPermit(Interlock.Permits(now.ToUnixTimeSeconds()), now);
                Panel.Poll(now);
                string state = System.Text.Json.JsonSerializer.Serialize(Panel.State(now));
                if (state != last)
                {
                    last = state;
                    _live.Publish("gpio", state);
                }

                if (mains?.Poll(now) is bool present)
                {
                    _log.LogWarning(GpioEvents.Mains, "Mains power {State} (UPS AC-fail contact on GPIO {Pin})", present ? "back" : "lost", _options.AcFailPin);
                    _alerts.OnMains(_site, now, present);
                }

                if (now >= nextLevel)
                {
                    // And read again every few seconds, so no missed or reordered change can hold a stale level.
                    nextLevel = now.AddSeconds(5);
                    OnChanged();
                }

                if (enclosure != null && now >= nextEnclosure)
                {
                    nextEnclosure = now.AddMinutes(1);
                    Bme280ReadResult r = enclosure.Read();
                    if (r.Temperature is { } t && r.Humidity is { } h)
                    {
                        Enclosure = (t.DegreesCelsius, h.Percent, now);
                        _alerts.OnEnclosure(_site, now, t.DegreesCelsius);
                    }
                }

                await Task.Delay(tick, stoppingToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            _alerts.Changed -= OnChanged;
            _feed.Committed -= OnCommitted;
        }
    }

    private void OnCommitted(IReadOnlyList<StoredReading> readings)
    {
        foreach (StoredReading r in readings)
        {
            if (r.Get(StoredReading.Salinity) is double sal)
            {
                Observe(r, sal);
            }
        }

        DateTimeOffset now = DateTimeOffset.UtcNow;
        Panel.SetRelayPermit(Interlock.Permits(now.ToUnixTimeSeconds()), now);
    }

    /// <summary>A restart does not forget what was confirmed: the last readings of each node, in the order received.</summary>
    private void ReplayRecentReadings()
    {
        foreach (NodeRecord n in _nodes.List())
        {
            foreach (StoredReading r in _store.Latest(n.Id, 50).OrderBy(r => r.Id))
            {
                if (r.Get(StoredReading.Salinity) is double sal)
                {
                    Observe(r, sal);
                }
            }
        }
    }

    private void Observe(StoredReading r, double salinity)
    {
        CropProfile p = _alerts.Evaluator.ProfileFor(r.Node);
        double forbidFrom = _relayLevel switch
        {
            AlertLevel.Watch => p.Watch,
            AlertLevel.Danger => p.Danger,
            _ => p.Warning,
        };
        Interlock.Observe(r.Node, r.Rx, salinity, forbidFrom, p.ReopenBelow);
    }

    // Serialised: an acknowledgement (on a request's thread) and a clearing (on the engine's) each raise Changed; without
    // the lock the earlier read could be applied last and leave the lamps red after the alert cleared.
    private void OnChanged()
    {
        lock (_levelGate)
        {
            (AlertLevel level, bool blink) = _alerts.Signal();
            Panel.SetLevel(level, DateTimeOffset.UtcNow, blink);
        }
    }

    private readonly object _levelGate = new();

    private Bme280? OpenEnclosureSensor()
    {
        if (!_options.EnclosureSensor || Simulated != null || !File.Exists("/dev/i2c-1"))
        {
            return null;
        }

        try
        {
            return new Bme280(I2cDevice.Create(new I2cConnectionSettings(1, _options.EnclosureSensorAddress)));
        }
        catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException)
        {
            _log.LogWarning(GpioEvents.EnclosureMissing, "No BME280 answers at 0x{Address:X2} on I2C bus 1: {Reason}", _options.EnclosureSensorAddress, ex.Message);
            return null;
        }
    }
}
