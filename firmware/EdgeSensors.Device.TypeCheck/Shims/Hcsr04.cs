// Compile-only shim of nanoFramework.Iot.Device.Hcsr04 1.2.889 (package nanoFramework.Iot.Device.Hcsr04, which drives the
// JSN-SR04T as well) and UnitsNet Length (package UnitsNet.nanoFramework.Length 5.74.0). No behaviour; never deployed.
// Transcribes: nanoFramework.Iot.Device.Hcsr04 1.2.889, UnitsNet.nanoFramework.Length 5.74.0
using System;

namespace Iot.Device.Hcsr04
{
    public class Hcsr04 : IDisposable
    {
        public Hcsr04(int triggerPin, int echoPin) => throw new NotSupportedException();

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
