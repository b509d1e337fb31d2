// Compile-only shim of nanoFramework.System.Device.Adc 1.1.11 (package nanoFramework.System.Device.Adc). No behaviour; never deployed.
// Transcribes: nanoFramework.System.Device.Adc 1.1.11
using System;

namespace System.Device.Adc
{
    public class AdcController
    {
        public AdcController() => throw new NotSupportedException();

        public int MaxValue => throw new NotSupportedException();

        public AdcChannel OpenChannel(int channelNumber) => throw new NotSupportedException();
    }

    public class AdcChannel : IDisposable
    {
        public int ReadValue() => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
