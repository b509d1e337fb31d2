// Executable nanoFramework.Iot.Device.Hcsr04 1.2.869 on the simulated board. This board has no ultrasonic ranger
// wired (the default level source is the pressure transducer): the trigger pin goes out, no echo comes back, and
// TryGetDistance reports no reading, as the library does when the echo times out.
using System;
using System.Device.Gpio;
using EdgeSensors.Device.Simulator.Board;

namespace Iot.Device.Hcsr04
{
    public class Hcsr04 : IDisposable
    {
        private readonly BoardRun _run;

        public Hcsr04(int triggerPin, int echoPin, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical)
            : this(null, triggerPin, echoPin)
        {
            _ = pinNumberingScheme;
        }

        public Hcsr04(GpioController? gpioController, int triggerPin, int echoPin, bool shouldDispose = true)
        {
            _run = BoardRun.Live;
            _ = gpioController;
            _ = triggerPin;
            _ = echoPin;
            _ = shouldDispose;
        }

        public bool TryGetDistance(out UnitsNet.Length result)
        {
            _run.Check();
            result = default;
            return false;
        }

        public void Dispose()
        {
        }
    }
}
