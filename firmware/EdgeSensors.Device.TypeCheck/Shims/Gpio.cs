// Compile-only shim of nanoFramework.System.Device.Gpio 1.1.57 (package nanoFramework.System.Device.Gpio): GpioController
// and GpioPin are both sealed (GpioController.cs, GpioPin.cs). No behaviour; never deployed.
// Transcribes: nanoFramework.System.Device.Gpio 1.1.57
using System;

namespace System.Device.Gpio
{
    public struct PinValue
    {
        public static PinValue Low => throw new NotSupportedException();

        public static PinValue High => throw new NotSupportedException();
    }

    public sealed class GpioPin : IDisposable
    {
        public void Write(PinValue value) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }

    public sealed class GpioController : IDisposable
    {
        public GpioController() => throw new NotSupportedException();

        public GpioPin OpenPin(int pinNumber, PinMode mode) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
