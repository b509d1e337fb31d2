using System.Device.Gpio;
using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Gateway.Gpio;

/// <summary>
/// The lights, buzzer, relay and silence button, driven by the highest active alert level. Time is passed in, so the
/// behaviour (debounce, silence timeout) is tested exactly on the simulated driver.
/// green: no alert · amber: watch · red: warning or danger · buzzer: from the configured level, until silenced;
/// a silence lasts SilenceMinutes, after which the buzzer sounds again if the alert is still there, and a worse
/// level than the one silenced sounds at once · relay: only when enabled, and fail-safe: it is energised only to
/// <em>permit</em> water (pump may run, sluice may open) while the <see cref="RelayInterlock"/> says so — salinity
/// confirmed below the crop's RelayLevel threshold over a real span of the gateway's clock. Otherwise, at start-up,
/// on a clean stop and when the gateway or its power is dead, the coil is de-energised and the contactor stops the
/// pump (the safe state: no water taken).
/// </summary>
public sealed class SignalPanel : IDisposable
{
    private readonly GpioController _gpio;
    private readonly GpioOptions _o;
    private readonly Lock _lock = new();
    private readonly AlertLevel _buzzerLevel;
    private AlertLevel _level;
    private bool _blink;
    private bool _relayPermits;
    private int _disposed;
    private AlertLevel _silencedLevel;
    private DateTimeOffset _silencedUntil = DateTimeOffset.MinValue;
    private DateTimeOffset _buttonDownSince = DateTimeOffset.MaxValue;
    private bool _pressHandled;

    public SignalPanel(GpioController gpio, GpioOptions options)
    {
        _gpio = gpio;
        _o = options;
        _buzzerLevel = Enum.Parse<AlertLevel>(options.BuzzerLevel, ignoreCase: true);
        foreach (int pin in Outputs)
        {
            _gpio.OpenPin(pin, PinMode.Output, PinValue.Low);
        }

        _gpio.OpenPin(options.SilenceButtonPin, PinMode.InputPullUp);
    }

    public AlertLevel Level => _level;

    public DateTimeOffset SilencedUntil => _silencedUntil;

    private IEnumerable<int> Outputs => _o.RelayEnabled
        ? [_o.GreenPin, _o.AmberPin, _o.RedPin, _o.BuzzerPin, _o.RelayPin]
        : [_o.GreenPin, _o.AmberPin, _o.RedPin, _o.BuzzerPin];

    /// <summary>Start-up test pattern: each light, then a short beep, then the real state.</summary>
    public async Task TestPatternAsync(CancellationToken ct)
    {
        if (_o.TestPatternMs == 0)
        {
            return;
        }

        foreach (int pin in new[] { _o.GreenPin, _o.AmberPin, _o.RedPin })
        {
            _gpio.Write(pin, PinValue.High);
            await Task.Delay(_o.TestPatternMs, ct).ConfigureAwait(false);
            _gpio.Write(pin, PinValue.Low);
        }

        _gpio.Write(_o.BuzzerPin, PinValue.High);
        await Task.Delay(Math.Min(100, _o.TestPatternMs), ct).ConfigureAwait(false);
        _gpio.Write(_o.BuzzerPin, PinValue.Low);
    }

    /// <summary>The highest active alert level changed.</summary>
    public void SetLevel(AlertLevel level, DateTimeOffset now) => SetLevel(level, now, blink: false);

    /// <summary>
    /// The highest active alert level changed; <paramref name="blink"/>: that level is watch and comes only from a
    /// forecast (salt predicted or coming from downstream), shown as amber blinking once a second.
    /// </summary>
    public void SetLevel(AlertLevel level, DateTimeOffset now, bool blink)
    {
        lock (_lock)
        {
            _blink = blink && level == AlertLevel.Watch;
            if (level > _silencedLevel && now < _silencedUntil)
            {
                _silencedUntil = DateTimeOffset.MinValue; // worse than what was silenced: sound now
            }

            _level = level;
            Apply(now);
        }
    }

    /// <summary>
    /// The relay interlock's decision (see <see cref="RelayInterlock"/>): the relay follows it and nothing else, so an
    /// alert raised by one forged message can neither open nor shut the water.
    /// </summary>
    public void SetRelayPermit(bool permits, DateTimeOffset now)
    {
        lock (_lock)
        {
            if (permits != _relayPermits)
            {
                _relayPermits = permits;
                Apply(now);
            }
        }
    }

    /// <summary>Samples the silence button (at least twice per debounce time) and re-applies timeouts.</summary>
    public void Poll(DateTimeOffset now)
    {
        lock (_lock)
        {
            bool down = _gpio.Read(_o.SilenceButtonPin) == PinValue.Low;
            if (!down)
            {
                _buttonDownSince = DateTimeOffset.MaxValue;
                _pressHandled = false;
            }
            else if (_buttonDownSince == DateTimeOffset.MaxValue)
            {
                _buttonDownSince = now;
            }
            else if (!_pressHandled && now - _buttonDownSince >= TimeSpan.FromMilliseconds(_o.DebounceMs))
            {
                // Held down for the debounce time: a press, not a bounce.
                _pressHandled = true;
                _silencedUntil = now.AddMinutes(_o.SilenceMinutes);
                _silencedLevel = _level;
            }

            Apply(now);
        }
    }

    /// <summary>Pin values for the page and the API.</summary>
    public IReadOnlyDictionary<string, object> State(DateTimeOffset now)
    {
        lock (_lock)
        {
            return new Dictionary<string, object>
            {
                ["level"] = AlertKinds.WireName(_level),
                ["green"] = _gpio.Read(_o.GreenPin) == PinValue.High,
                ["amber"] = _gpio.Read(_o.AmberPin) == PinValue.High,
                ["amber_blinking"] = _blink,
                ["red"] = _gpio.Read(_o.RedPin) == PinValue.High,
                ["buzzer"] = _gpio.Read(_o.BuzzerPin) == PinValue.High,
                ["relay_enabled"] = _o.RelayEnabled,
                ["relay"] = _o.RelayEnabled && _gpio.Read(_o.RelayPin) == PinValue.High,
                ["relay_permits_water"] = _o.RelayEnabled && _gpio.Read(_o.RelayPin) == PinValue.High,
                ["silenced"] = now < _silencedUntil,
                ["silenced_until"] = now < _silencedUntil ? _silencedUntil.ToUnixTimeSeconds() : 0,
            };
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        foreach (int pin in Outputs)
        {
            _gpio.Write(pin, PinValue.Low);
        }
    }

    private void Apply(DateTimeOffset now)
    {
        _gpio.Write(_o.GreenPin, _level == AlertLevel.None ? PinValue.High : PinValue.Low);
        bool amber = _level == AlertLevel.Watch && (!_blink || now.ToUnixTimeMilliseconds() % 1000 < 500);
        _gpio.Write(_o.AmberPin, amber ? PinValue.High : PinValue.Low);
        _gpio.Write(_o.RedPin, _level >= AlertLevel.Warning ? PinValue.High : PinValue.Low);
        bool buzz = _level >= _buzzerLevel && _level != AlertLevel.None && now >= _silencedUntil;
        _gpio.Write(_o.BuzzerPin, buzz ? PinValue.High : PinValue.Low);
        if (_o.RelayEnabled)
        {
            // Energised = water permitted, only on the interlock's confirmed word; anything else leaves it de-energised.
            _gpio.Write(_o.RelayPin, _relayPermits ? PinValue.High : PinValue.Low);
        }
    }
}
