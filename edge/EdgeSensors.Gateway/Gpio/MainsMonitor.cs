using System.Device.Gpio;

namespace EdgeSensors.Gateway.Gpio;

/// <summary>
/// The UPS's AC-fail contact on a GPIO input with the internal pull-up: open (high) while mains is present, closed to
/// ground (low) when it fails. A change counts once it has held for the debounce time, so a relay contact's bounce
/// or a brown-out flicker does not raise and clear an alert.
/// </summary>
public sealed class MainsMonitor
{
    private readonly GpioPin _pin;
    private readonly TimeSpan _debounce;
    private bool _reported = true;
    private bool? _candidate;
    private DateTimeOffset _since;

    public MainsMonitor(GpioController controller, int pin, TimeSpan debounce)
    {
        _pin = controller.OpenPin(pin, PinMode.InputPullUp);
        _debounce = debounce;
    }

    /// <summary>Whether mains was present at the last settled reading.</summary>
    public bool MainsPresent => _reported;

    /// <summary>Reads the contact; returns the new settled state when it has changed, else null.</summary>
    public bool? Poll(DateTimeOffset now)
    {
        bool present = _pin.Read() == PinValue.High;
        if (present == _reported)
        {
            _candidate = null;
            return null;
        }

        if (_candidate != present)
        {
            _candidate = present;
            _since = now;
            return null;
        }

        if (now - _since < _debounce)
        {
            return null;
        }

        _reported = present;
        _candidate = null;
        return present;
    }
}
