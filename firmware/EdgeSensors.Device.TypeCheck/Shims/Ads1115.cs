// Compile-only shim of nanoFramework.Iot.Device.Ads1115 1.2.869 (package nanoFramework.Iot.Device.Ads1115, the ADS1115
// 16-bit ADC with programmable gain): the constructor, ReadRaw with an explicit input, range and rate, and the
// enums with the register-field values of the library's InputMultiplexer.cs, MeasuringRange.cs, DataRate.cs,
// DeviceMode.cs and I2cAddress.cs (TI ADS1115 datasheet, config register). No behaviour; never deployed.
// Transcribes: nanoFramework.Iot.Device.Ads1115 1.2.869
using System;
using System.Device.I2c;

namespace Iot.Device.Ads1115
{
    public class Ads1115 : IDisposable
    {
        public Ads1115(I2cDevice i2cDevice, InputMultiplexer inputMultiplexer = InputMultiplexer.AIN0, MeasuringRange measuringRange = MeasuringRange.FS4096, DataRate dataRate = DataRate.SPS128, DeviceMode deviceMode = DeviceMode.Continuous) => throw new NotSupportedException();

        public short ReadRaw(InputMultiplexer inputMultiplexer, MeasuringRange measuringRange, DataRate dataRate) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
