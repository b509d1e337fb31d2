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

/// <summary>The ADS1115 adapter as on the device (Adapters/Ads1115Converter.cs), here over the desktop Iot.Device.Bindings driver and a register-level fake.</summary>
public sealed class Ads1115Converter(FakeAds1115I2cDevice device) : IGainAdc
{
    private static readonly Iot.Device.Ads1115.InputMultiplexer[] Inputs = [Iot.Device.Ads1115.InputMultiplexer.AIN0, Iot.Device.Ads1115.InputMultiplexer.AIN1, Iot.Device.Ads1115.InputMultiplexer.AIN2, Iot.Device.Ads1115.InputMultiplexer.AIN3];
    private static readonly Iot.Device.Ads1115.MeasuringRange[] Ranges = [Iot.Device.Ads1115.MeasuringRange.FS6144, Iot.Device.Ads1115.MeasuringRange.FS4096, Iot.Device.Ads1115.MeasuringRange.FS2048, Iot.Device.Ads1115.MeasuringRange.FS1024, Iot.Device.Ads1115.MeasuringRange.FS0512, Iot.Device.Ads1115.MeasuringRange.FS0256];
    private Iot.Device.Ads1115.Ads1115? _adc;

    public bool TryConvert(int input, int range, out int code)
    {
        code = 0;
        try
        {
            _adc ??= new Iot.Device.Ads1115.Ads1115(device, Iot.Device.Ads1115.InputMultiplexer.AIN0, Iot.Device.Ads1115.MeasuringRange.FS4096, Iot.Device.Ads1115.DataRate.SPS128, Iot.Device.Ads1115.DeviceMode.PowerDown);
            code = _adc.ReadRaw(Inputs[input], Ranges[range], Iot.Device.Ads1115.DataRate.SPS128);
            return true;
        }
        catch (IOException)
        {
            _adc = null;
            return false;
        }
    }
}

/// <summary>The node's analog front end as wired (hardware/node-esp32): the isolated ADS1115 (EC) and the node-side one (pressure, 5 V rail, NTC).</summary>
public sealed class SimulatedFrontEnd
{
    public SimulatedFrontEnd(SimulatedCanal canal)
    {
        Isolated = new FakeAds1115I2cDevice([canal.EcVolts, () => 0, () => 0, () => 0], 0x49, 11);
        Front = new FakeAds1115I2cDevice([canal.PressureVolts, canal.SupplyPinVolts, canal.NtcVolts, () => 0], 0x48, 12);
        // As Program.Compose wires them: widest range ±4.096 V, both chips on 3.3 V (PinMap.AdcSupplyVolts), so the
        // highest code the EC board can reach is known and a clipped burst is flagged rather than read.
        Ec = new AutoRangingInput(new Ads1115Converter(Isolated), 0, 1, SupplyVolts);
        Pressure = new AutoRangingInput(new Ads1115Converter(Front), 0, 1, SupplyVolts);
        Supply = new AutoRangingInput(new Ads1115Converter(Front), 1, 1, SupplyVolts);
        Ntc = new AutoRangingInput(new Ads1115Converter(Front), 2, 1, SupplyVolts);
    }

    /// <summary>Supply of both ADS1115s, volts (PinMap.AdcSupplyVolts on the node).</summary>
    public const double SupplyVolts = 3.3;

    public FakeAds1115I2cDevice Isolated { get; }

    public FakeAds1115I2cDevice Front { get; }

    public AutoRangingInput Ec { get; }

    public AutoRangingInput Pressure { get; }

    public AutoRangingInput Supply { get; }

    public AutoRangingInput Ntc { get; }

    public HardwareSampler Sampler(ISensorPower power, IAirSensor air, IRangeSensor? range = null) => new(power, Ec, Pressure, Supply, Ntc, air, range);
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

    /// <summary>The board's real transfer, mS/cm per V (nominal 6.1; each board differs by a few %).</summary>
    public double BoardMsCmPerVolt { get; set; } = 6.1;

    /// <summary>The board's output offset, V.</summary>
    public double BoardOffsetVolts { get; set; }

    /// <summary>When set, the probe sits in a KCl standard labelled this (mS/cm at 25 °C), at <see cref="WaterTempC"/>.</summary>
    public double? StandardAt25 { get; set; }

    /// <summary>The transducer's 5 V boost rail as it really is.</summary>
    public double SupplyVolts { get; set; } = 5.0;

    /// <summary>
    /// EC board output (DFR0300 class): conductivity at the water's temperature — the board does not compensate, its
    /// vendor library does, in software — at the board's transfer, plus its offset; 0 V with the probe in air.
    /// </summary>
    public double EcVolts()
    {
        if (ProbeOut)
        {
            return 0.0002;
        }

        double ec = StandardAt25 is double label ? KclStandard.AtTemperature(label, WaterTempC) : InSituConductivity();
        return (ec / BoardMsCmPerVolt) + BoardOffsetVolts;
    }

    public double InSituConductivity()
    {
        double gauge = SeawaterDensity.AtSurface(Salinity, WaterTempC) * Gravity.AtLatitude(Gravity.HauGiangLatitude) * DepthM / 100.0;
        return PracticalSalinity.ToConductivity(Salinity, WaterTempC, gauge / 100.0);
    }

    /// <summary>The 5 V rail at the ADS1115 input, through its 10 kΩ / 10 kΩ divider.</summary>
    public double SupplyPinVolts() => SupplyVolts / 2.0;

    /// <summary>Transducer 0–1 bar (the BOM default), 0.5–4.5 V, through the 10 kΩ / 10 kΩ divider: 0.25 V at zero, 2.0 V per 1,000 hPa at the pin.</summary>
    public double PressureVolts()
    {
        double gaugeHpa = SeawaterDensity.AtSurface(Salinity, WaterTempC) * Gravity.AtLatitude(Gravity.HauGiangLatitude) * DepthM / 100.0;
        double transducerVolts = (0.5 + (4.0 * gaugeHpa / 1000.0)) * SupplyVolts / 5.0; // ratiometric
        return transducerVolts * 10.0 / (10.0 + 10.0);
    }

    public double NtcVolts() => NtcThermistor.Counts(WaterTempC, 4095, 10000, 10000, 3950) / 4095 * 3.3;
}
