using System;
using System.Device.I2c;
using EdgeSensors.Node.Device;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>The BME280 on I2C bus 1 through nanoFramework.Iot.Device.Bmxx80.</summary>
    public sealed class Bme280AirSensor : IAirSensor
    {
        private Bme280 _bme;

        public Bme280AirSensor()
        {
            _bme = new Bme280(I2cDevice.Create(new I2cConnectionSettings(1, Bme280.SecondaryI2cAddress)));
        }

        public bool TryRead(out double temperatureC, out double pressureHpa, out double humidityPct)
        {
            temperatureC = pressureHpa = humidityPct = double.NaN;
            try
            {
                Bme280ReadResult r = _bme.Read();
                if (!r.TemperatureIsValid || !r.PressureIsValid || !r.HumidityIsValid)
                {
                    return false;
                }

                temperatureC = r.Temperature.DegreesCelsius;
                pressureHpa = r.Pressure.Hectopascals;
                humidityPct = r.Humidity.Percent;
                return true;
            }
            catch (Exception)
            {
                // An I2C error (sensor unplugged, water in the connector): no value rather than a stale one.
                return false;
            }
        }
    }
}
