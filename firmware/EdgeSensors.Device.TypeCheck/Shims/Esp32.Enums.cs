// Compile-only shim of nanoFramework.Hardware.Esp32 1.6.34 (package nanoFramework.Hardware.Esp32): the enums of the library's DeviceTypePins.cs, Errors.cs and Sleep.cs (values as there). Shared with the simulated board
// (firmware/EdgeSensors.Device.Simulator links this file), so each value is transcribed once. No behaviour; never deployed.
// Transcribes: nanoFramework.Hardware.Esp32 1.6.34
namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        // DeviceTypePins.cs: DeviceType (I2C = 2, ADC = 5) × 0x10000 + device index × 0x100 + function.
        I2C1_DATA = 0x20100,
        I2C1_CLOCK = 0x20101,
        ADC1_CH0 = 0x50100,
        ADC1_CH3 = 0x50103,
        ADC1_CH6 = 0x50106,
        ADC1_CH7 = 0x50107,
    }

    public enum EspNativeError : int
    {
        OK = 0,
        FAIL = -1,
        NO_MEM = 0x101,
        INVALID_ARG = 0x102,
        INVALID_STATE = 0x103,
        INVALID_SIZE = 0x104,
        NOT_FOUND = 0x105,
        NOT_SUPPORTED = 0x106,
        TIMEOUT = 0x107,
        INVALID_RESPONSE = 0x108,
        INVALID_CRC = 0x109,
        INVALID_VERSION = 0x10A,
        INVALID_MAC = 0x10B,
        WIFI_BASE = 0x3000,
    }

    public partial class Sleep
    {
        public enum WakeupCause
        {
            Undefined = 0,
            Ext0 = 2,
            Ext1,
            Timer,
            TouchPad,
            Ulp,
            Gpio,
            Uart,
        }
    }
}
