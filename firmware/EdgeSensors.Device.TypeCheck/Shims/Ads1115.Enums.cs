// Compile-only shim of nanoFramework.Iot.Device.Ads1115 1.2.869 (package nanoFramework.Iot.Device.Ads1115): the register-field enums of the library's InputMultiplexer.cs, MeasuringRange.cs, DataRate.cs, DeviceMode.cs and I2cAddress.cs (TI ADS1115 datasheet, config register). Shared with the simulated board
// (firmware/EdgeSensors.Device.Simulator links this file), so each value is transcribed once. No behaviour; never deployed.
// Transcribes: nanoFramework.Iot.Device.Ads1115 1.2.869
namespace Iot.Device.Ads1115
{
    public enum InputMultiplexer
    {
        AIN0 = 0x04,
        AIN1 = 0x05,
        AIN2 = 0x06,
        AIN3 = 0x07,
        AIN0_AIN1 = 0x00,
        AIN0_AIN3 = 0x01,
        AIN1_AIN3 = 0x02,
        AIN2_AIN3 = 0x03,
    }

    public enum MeasuringRange
    {
        FS6144 = 0x00,
        FS4096 = 0x01,
        FS2048 = 0x02,
        FS1024 = 0x03,
        FS0512 = 0x04,
        FS0256 = 0x05,
    }

    public enum DataRate
    {
        SPS008 = 0x00,
        SPS016 = 0x01,
        SPS032 = 0x02,
        SPS064 = 0x03,
        SPS128 = 0x04,
        SPS250 = 0x05,
        SPS475 = 0x06,
        SPS860 = 0x07,
    }

    public enum DeviceMode
    {
        Continuous = 0x00,
        PowerDown = 0x01,
    }

    public enum I2cAddress
    {
        GND = 0x48,
        VCC = 0x49,
        SDA = 0x4A,
        SCL = 0x4B,
    }
}
