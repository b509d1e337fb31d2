// Compile-only shim of nanoFramework.Iot.Device.Ads1115 1.2.869 (package nanoFramework.Iot.Device.Ads1115, the ADS1115
// 16-bit ADC with programmable gain): the constructor, ReadRaw with an explicit input, range and rate, and the
// enums with the register-field values of the library's InputMultiplexer.cs, MeasuringRange.cs, DataRate.cs,
// DeviceMode.cs and I2cAddress.cs (TI ADS1115 datasheet, config register). No behaviour; never deployed.
// Transcribes: nanoFramework.Iot.Device.Ads1115 1.2.869
using System;
using System.Device.I2c;

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

    public class Ads1115 : IDisposable
    {
        public Ads1115(I2cDevice i2cDevice, InputMultiplexer inputMultiplexer = InputMultiplexer.AIN0, MeasuringRange measuringRange = MeasuringRange.FS4096, DataRate dataRate = DataRate.SPS128, DeviceMode deviceMode = DeviceMode.Continuous) => throw new NotSupportedException();

        public short ReadRaw(InputMultiplexer inputMultiplexer, MeasuringRange measuringRange, DataRate dataRate) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
