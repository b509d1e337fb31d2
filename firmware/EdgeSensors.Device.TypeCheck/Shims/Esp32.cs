// Compile-only shim of nanoFramework.Hardware.Esp32 1.6 (package nanoFramework.Hardware.Esp32): the types the
// device adapters call, with the library's namespaces and signatures. No behaviour; never deployed.
using System;

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        I2C1_DATA = 0x0100,
        I2C1_CLOCK = 0x0101,
        ADC1_CH0 = 0x0200,
        ADC1_CH3 = 0x0203,
        ADC1_CH6 = 0x0206,
        ADC1_CH7 = 0x0207,
    }

    public static class Configuration
    {
        public static void SetPinFunction(int gpioNumber, DeviceFunction function) => throw new NotSupportedException();
    }

    public static class Sleep
    {
        public enum WakeupCause
        {
            Undefined = 0,
            Ext0 = 2,
            Ext1 = 3,
            Timer = 4,
            TouchPad = 5,
            Ulp = 6,
        }

        public static void EnableWakeupByTimer(TimeSpan wakeupTime) => throw new NotSupportedException();

        public static void StartDeepSleep() => throw new NotSupportedException();

        public static WakeupCause GetWakeupCause() => throw new NotSupportedException();
    }
}
