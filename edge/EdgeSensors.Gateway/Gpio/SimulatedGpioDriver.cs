using System.Device.Gpio;

namespace EdgeSensors.Gateway.Gpio;

/// <summary>
/// A GPIO driver with no hardware behind it (off the Pi): pins keep their modes and values in memory; inputs are set
/// from outside (tests, the page's simulated button) and raise the same change callbacks a real driver would.
/// </summary>
public sealed class SimulatedGpioDriver : GpioDriver
{
    private readonly Lock _lock = new();
    private readonly Dictionary<int, (PinMode Mode, PinValue Value)> _pins = [];
    private readonly List<(int Pin, PinEventTypes Types, PinChangeEventHandler Handler)> _callbacks = [];

    /// <summary>Raised on every output write (the page shows the lights).</summary>
    public event Action<int, PinValue>? Written;

    protected override int PinCount => 28;

    /// <summary>A pin's current level, or null when it is not open.</summary>
    public PinValue? Peek(int pin)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(pin, out var p) ? p.Value : null;
        }
    }

    /// <summary>Drives an input pin from outside (a button press, a bounce).</summary>
    public void SetInput(int pin, PinValue value)
    {
        List<PinChangeEventHandler> fire = [];
        PinEventTypes edge;
        lock (_lock)
        {
            if (!_pins.TryGetValue(pin, out var p))
            {
                throw new InvalidOperationException($"Can not drive pin {pin} because it is not open.");
            }

            if (p.Value == value)
            {
                return;
            }

            _pins[pin] = (p.Mode, value);
            edge = value == PinValue.High ? PinEventTypes.Rising : PinEventTypes.Falling;
            fire.AddRange(_callbacks.Where(c => c.Pin == pin && (c.Types & edge) != 0).Select(c => c.Handler));
        }

        foreach (PinChangeEventHandler h in fire)
        {
            h(this, new PinValueChangedEventArgs(edge, pin));
        }
    }

    protected override void OpenPin(int pinNumber)
    {
        lock (_lock)
        {
            _pins.TryAdd(pinNumber, (PinMode.Input, PinValue.Low));
        }
    }

    protected override void ClosePin(int pinNumber)
    {
        lock (_lock)
        {
            _pins.Remove(pinNumber);
        }
    }

    protected override void SetPinMode(int pinNumber, PinMode mode)
    {
        lock (_lock)
        {
            // Pull-ups idle high, like the silence button's input on the Pi.
            PinValue idle = mode == PinMode.InputPullUp ? PinValue.High : PinValue.Low;
            _pins[pinNumber] = (mode, _pins.TryGetValue(pinNumber, out var p) && p.Mode == mode ? p.Value : idle);
        }
    }

    protected override PinMode GetPinMode(int pinNumber)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(pinNumber, out var p) ? p.Mode : throw new InvalidOperationException($"Can not read the mode of pin {pinNumber} because it is not open.");
        }
    }

    protected override bool IsPinModeSupported(int pinNumber, PinMode mode) => true;

    protected override PinValue Read(int pinNumber)
    {
        lock (_lock)
        {
            return _pins.TryGetValue(pinNumber, out var p) ? p.Value : throw new InvalidOperationException($"Can not read from pin {pinNumber} because it is not open.");
        }
    }

    protected override void Write(int pinNumber, PinValue value)
    {
        lock (_lock)
        {
            if (!_pins.TryGetValue(pinNumber, out var p))
            {
                throw new InvalidOperationException($"Can not write to pin {pinNumber} because it is not open.");
            }

            _pins[pinNumber] = (p.Mode, value);
        }

        Written?.Invoke(pinNumber, value);
    }

    protected override WaitForEventResult WaitForEvent(int pinNumber, PinEventTypes eventTypes, CancellationToken cancellationToken)
    {
        var done = new ManualResetEventSlim();
        PinEventTypes seen = PinEventTypes.None;
        PinChangeEventHandler handler = (_, e) =>
        {
            seen = e.ChangeType;
            done.Set();
        };
        AddCallbackForPinValueChangedEvent(pinNumber, eventTypes, handler);
        try
        {
            done.Wait(cancellationToken);
            return new WaitForEventResult { EventTypes = seen, TimedOut = false };
        }
        catch (OperationCanceledException)
        {
            return new WaitForEventResult { EventTypes = PinEventTypes.None, TimedOut = true };
        }
        finally
        {
            RemoveCallbackForPinValueChangedEvent(pinNumber, handler);
            done.Dispose();
        }
    }

    protected override void AddCallbackForPinValueChangedEvent(int pinNumber, PinEventTypes eventTypes, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            _callbacks.Add((pinNumber, eventTypes, callback));
        }
    }

    protected override void RemoveCallbackForPinValueChangedEvent(int pinNumber, PinChangeEventHandler callback)
    {
        lock (_lock)
        {
            _callbacks.RemoveAll(c => c.Pin == pinNumber && c.Handler == callback);
        }
    }
}
