using System;
using System.Device.I2c;
using EdgeSensors.Node.Device;
using Iot.Device.Ads1115;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// One ADS1115 through nanoFramework.Iot.Device.Ads1115: single-shot conversions (the chip powers down between
    /// them) at the input and range the node logic's <see cref="AutoRangingInput"/> asks for, at 128 samples/s.
    /// </summary>
    public sealed class Ads1115Converter : IGainAdc
    {
        private static readonly InputMultiplexer[] Inputs = new InputMultiplexer[] { InputMultiplexer.AIN0, InputMultiplexer.AIN1, InputMultiplexer.AIN2, InputMultiplexer.AIN3 };
        private static readonly MeasuringRange[] Ranges = new MeasuringRange[] { MeasuringRange.FS6144, MeasuringRange.FS4096, MeasuringRange.FS2048, MeasuringRange.FS1024, MeasuringRange.FS0512, MeasuringRange.FS0256 };
        private readonly int _address;
        private Ads1115? _adc;

        public Ads1115Converter(int address)
        {
            _address = address;
        }

        public bool TryConvert(int input, int range, out int code)
        {
            code = 0;
            try
            {
                if (_adc == null)
                {
                    _adc = new Ads1115(I2cDevice.Create(new I2cConnectionSettings(1, _address)), InputMultiplexer.AIN0, MeasuringRange.FS4096, DataRate.SPS128, DeviceMode.PowerDown);
                }

                code = _adc.ReadRaw(Inputs[input], Ranges[range], DataRate.SPS128);
                return true;
            }
            catch (Exception)
            {
                // An I2C error (the isolated side unpowered, a loose cable): reported as no answer; reopened next time.
                _adc = null;
                return false;
            }
        }
    }
}
