// Compile-only shim of nanoFramework.Iot.Device.Hcsr04 1.2.869 (package nanoFramework.Iot.Device.Hcsr04, which drives the
// JSN-SR04T as well; the release of the Bmxx80 1.2.869 generation, depending on UnitsNet.nanoFramework.Length 5.74.0) and
// UnitsNet Length (package UnitsNet.nanoFramework.Length 5.74.0). Constructors as in the library's Hcsr04.cs.
// No behaviour; never deployed.
// Transcribes: nanoFramework.Iot.Device.Hcsr04 1.2.869, UnitsNet.nanoFramework.Length 5.74.0
using System;
using System.Device.Gpio;

namespace Iot.Device.Hcsr04
{
    public class Hcsr04 : IDisposable
    {
        public Hcsr04(int triggerPin, int echoPin, PinNumberingScheme pinNumberingScheme = PinNumberingScheme.Logical) => throw new NotSupportedException();

        public Hcsr04(GpioController? gpioController, int triggerPin, int echoPin, bool shouldDispose = true) => throw new NotSupportedException();

        public bool TryGetDistance(out UnitsNet.Length result) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}

namespace UnitsNet
{
    public struct Length
    {
        public double Meters => throw new NotSupportedException();
    }
}
