// Compile-only shim of nanoFramework.Hardware.Esp32 1.6.34 (package nanoFramework.Hardware.Esp32): the members the device
// adapters call, transcribed from the library's Configuration.cs, DeviceTypePins.cs, Sleep.cs and Errors.cs (namespaces, signatures, enum
// values). No behaviour; never deployed.
// Transcribes: nanoFramework.Hardware.Esp32 1.6.34
using System;

namespace nanoFramework.Hardware.Esp32
{
    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value) => throw new NotSupportedException();

        public static int GetFunctionPin(DeviceFunction function) => throw new NotSupportedException();
    }

    public partial class Sleep
    {
        public static EspNativeError EnableWakeupByTimer(TimeSpan time) => throw new NotSupportedException();

        public static void StartDeepSleep() => throw new NotSupportedException();

        public static WakeupCause GetWakeupCause() => throw new NotSupportedException();
    }
}
