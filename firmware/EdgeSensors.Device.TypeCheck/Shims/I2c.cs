// Compile-only shim of nanoFramework.System.Device.I2c 1.1.29 (package nanoFramework.System.Device.I2c). No behaviour; never deployed.
// Transcribes: nanoFramework.System.Device.I2c 1.1.29
using System;

namespace System.Device.I2c
{
    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress) => throw new NotSupportedException();
    }

    public class I2cDevice : IDisposable
    {
        public static I2cDevice Create(I2cConnectionSettings settings) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
