// Executable nanoFramework.Iot.Device.Hcsr04 1.2.869 on the simulated board. The library raises the trigger for 10 µs
// and times the echo, turning it into a distance at 343 m/s over the round trip. The board's ranger (a MaxSonar, when
// fitted) answers only a trigger longer than 20 µs, so this binding gets no echo from it and reports no reading, as
// the library does when the echo times out; an answer, had one come, is converted the library's way.
using System;
using System.Device.Gpio;
using EdgeSensors.Device.Simulator.Board;

namespace Iot.Device.Hcsr04
{
    public class Hcsr04 : IDisposable
    {
        private readonly BoardRun _run;
        private readonly int _triggerPin;
        private readonly int _echoPin;

        public Hcsr04(int triggerPin, int echoPin, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical)
            : this(null, triggerPin, echoPin)
        {
            _ = pinNumberingScheme;
        }

        public Hcsr04(GpioController? gpioController, int triggerPin, int echoPin, bool shouldDispose = true)
        {
            _run = BoardRun.Live;
            _ = gpioController;
            _triggerPin = triggerPin;
            _echoPin = echoPin;
            _ = shouldDispose;
        }

        public bool TryGetDistance(out UnitsNet.Length result)
        {
            _run.Check();
            _run.Board.TriggerRanger(_run, _triggerPin, 10);
            if (_run.Board.TakeRangerPulse(_echoPin) is not { } pulse)
            {
                result = default;
                return false;
            }

            result = UnitsNet.Length.FromMeters(343.0 * pulse.WidthMicroseconds / 1e6 / 2);
            return true;
        }

        public void Dispose()
        {
        }
    }
}
