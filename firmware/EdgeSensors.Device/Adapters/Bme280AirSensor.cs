using System;
using System.Device.I2c;
using EdgeSensors.Node.Device;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// The BME280 on I2C bus 1 through nanoFramework.Iot.Device.Bmxx80. The chip sits on the switched sensor rail, so
    /// nothing here touches it until a read, when the sampler has powered the rail up. Each read opens the binding
    /// afresh: powering the rail down resets the chip's control registers (every measurement "skipped"), while the
    /// binding keeps its oversampling settings in fields and would mark the chip's reset values valid. A new binding
    /// checks the chip id, reads the trimming words and writes the settings again (a few milliseconds of I2C).
    /// </summary>
    public sealed class Bme280AirSensor : IAirSensor
    {
        public bool TryRead(out double temperatureC, out double pressureHpa, out double humidityPct)
        {
            temperatureC = pressureHpa = humidityPct = double.NaN;
            Bme280? bme = null;
            try
            {
                bme = new Bme280(I2cDevice.Create(new I2cConnectionSettings(1, Bme280.SecondaryI2cAddress)));
                Bme280ReadResult r = bme.Read();
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
                // An I2C error (the rail off, the sensor unplugged, water in the connector) or a wrong chip id: no value
                // rather than a stale one; the node reports the air sensor's fault in status.
                return false;
            }
            finally
            {
                if (bme != null)
                {
                    bme.Dispose();
                }
            }
        }
    }
}
