// Compile-only shim of nanoFramework.System.Device.Adc 1.1.24 (package nanoFramework.System.Device.Adc, the release built
// against CoreLibrary 1.17.11): AdcController and AdcChannel derive from AdcControllerBase and AdcChannelBase, where
// MaxValue, OpenChannel and ReadValue are declared (the library's AdcControllerBase.cs / AdcChannelBase.cs).
// No behaviour; never deployed.
// Transcribes: nanoFramework.System.Device.Adc 1.1.24
using System;

namespace System.Device.Adc
{
    public abstract class AdcControllerBase
    {
        public abstract int MaxValue { get; }

        public abstract AdcChannel OpenChannel(int channelNumber);
    }

    public class AdcController : AdcControllerBase
    {
        public AdcController() => throw new NotSupportedException();

        public override int MaxValue => throw new NotSupportedException();

        public override AdcChannel OpenChannel(int channelNumber) => throw new NotSupportedException();
    }

    public abstract class AdcChannelBase
    {
        public abstract int ReadValue();
    }

    public class AdcChannel : AdcChannelBase, IDisposable
    {
        public override int ReadValue() => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
