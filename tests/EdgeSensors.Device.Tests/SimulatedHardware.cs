using EdgeSensors.Node.Device;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Science;
using Iot.Device.Bmxx80;
using Iot.Device.Bmxx80.ReadResult;

namespace EdgeSensors.Device.Tests;

/// <summary>The BME280 adapter as on the device, here over the desktop Iot.Device.Bindings driver and a register-level fake.</summary>
public sealed class Bme280AirSensor(FakeBme280I2cDevice device) : IAirSensor
{
    private Bme280? _bme;

    public bool TryRead(out double temperatureC, out double pressureHpa, out double humidityPct)
    {
        temperatureC = pressureHpa = humidityPct = double.NaN;
        try
        {
            _bme ??= new Bme280(device);
            Bme280ReadResult r = _bme.Read();
            if (r.Temperature is not { } t || r.Pressure is not { } p || r.Humidity is not { } h)
            {
                return false;
            }

            (temperatureC, pressureHpa, humidityPct) = (t.DegreesCelsius, p.Hectopascals, h.Percent);
            return true;
        }
        catch (IOException)
        {
            _bme = null;
            return false;
        }
    }
}

/// <summary>An ADC channel giving counts for a known voltage, with a little noise.</summary>
public sealed class SimulatedAdc(Func<double> volts, int seed) : IAnalogInput
{
    private readonly Random _random = new(seed);

    public int FullScale => 4095;

    public double FullScaleVolts => 3.3;

    public int Read() => Math.Clamp((int)Math.Round((volts() / FullScaleVolts * FullScale) + ((_random.NextDouble() - 0.5) * 2)), 0, FullScale);
}

public sealed class CountingPower : ISensorPower
{
    public int Cycles { get; private set; }

    public bool IsOn { get; private set; }

    public void PowerUp()
    {
        IsOn = true;
        Cycles++;
    }

    public void PowerDown() => IsOn = false;
}

/// <summary>The canal as the node's analog sensors see it: salinity and depth → EC board volts and transducer volts.</summary>
public sealed class SimulatedCanal
{
    public double Salinity { get; set; } = 2.4;

    public double WaterTempC { get; set; } = 28.0;

    public double DepthM { get; set; } = 1.2;

    public bool ProbeOut { get; set; }

    /// <summary>EC board output: EC25 (α 0.0191) at 10 mS/cm per volt, the node's default transfer.</summary>
    public double EcVolts()
    {
        if (ProbeOut)
        {
            return 0;
        }

        double gauge = SeawaterDensity.AtSurface(Salinity, WaterTempC) * Gravity.AtLatitude(Gravity.HauGiangLatitude) * DepthM / 100.0;
        double ec = PracticalSalinity.ToConductivity(Salinity, WaterTempC, gauge / 100.0);
        return ConductivityProbe.Ec25FromInSitu(ec, WaterTempC, 0.0191) / 10.0;
    }

    /// <summary>Transducer 0–0.5 bar, 0.5–4.5 V, through the 10 kΩ / 10 kΩ divider: 0.25 V at zero, 2.0 V per 500 hPa at the pin.</summary>
    public double PressureVolts()
    {
        double gaugeHpa = SeawaterDensity.AtSurface(Salinity, WaterTempC) * Gravity.AtLatitude(Gravity.HauGiangLatitude) * DepthM / 100.0;
        double transducerVolts = 0.5 + (4.0 * gaugeHpa / 500.0);
        return transducerVolts * 10.0 / (10.0 + 10.0);
    }

    public double NtcVolts() => NtcThermistor.Counts(WaterTempC, 4095, 10000, 10000, 3950) / 4095 * 3.3;
}
