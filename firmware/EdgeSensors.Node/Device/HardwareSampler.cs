using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Filters;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Device;

/// <summary>
/// The node's sensors behind the cycle's <see cref="ISensorSampler"/> seam: powers them, takes a burst from each ADC
/// channel, reads the BME280 and the water-temperature thermistor, and the ranger when fitted. On the ESP32 the
/// inputs are thin adapters over nanoFramework's ADC, I2C and GPIO; in tests they are simulated.
/// </summary>
public sealed class HardwareSampler : ISensorSampler
{
    private readonly ISensorPower _power;
    private readonly IAnalogInput _ec;
    private readonly IAnalogInput? _pressure;
    private readonly IAnalogInput? _supply;
    private readonly IAnalogInput _ntc;
    private readonly IAirSensor _air;
    private readonly IRangeSensor? _range;

    /// <summary>
    /// Builds the sampler from the adapters (pressure, its supply and the ranger optional). <paramref name="supply"/>
    /// reads the transducer's 5 V rail through <see cref="SupplyDividerRatio"/> for ratiometric correction.
    /// </summary>
    public HardwareSampler(ISensorPower power, IAnalogInput ec, IAnalogInput? pressure, IAnalogInput? supply, IAnalogInput ntc, IAirSensor air, IRangeSensor? range)
    {
        _power = power;
        _ec = ec;
        _pressure = pressure;
        _supply = supply;
        _ntc = ntc;
        _air = air;
        _range = range;
    }

    /// <summary>Rail volts per volt at the supply input (10 kΩ / 10 kΩ divider: 2).</summary>
    public double SupplyDividerRatio { get; set; } = 2.0;

    /// <summary>Fixed resistor of the thermistor divider, Ω.</summary>
    public double NtcFixedOhms { get; set; } = 10000;

    /// <summary>Thermistor resistance at 25 °C, Ω.</summary>
    public double NtcR0Ohms { get; set; } = 10000;

    /// <summary>Nominal supply of the thermistor divider, V (the switched 3.3 V rail), used when the rail is not measured.</summary>
    public double NtcSupplyVolts { get; set; } = 3.3;

    /// <summary>
    /// The thermistor divider's supply as measured (ADS1115 AIN3 through <see cref="NtcRailDividerRatio"/>), or null.
    /// The ADS1115 codes against its internal reference, not its supply, so the divider is not ratiometric by itself: a
    /// rail 2 % off would move the published water temperature by about 0.9 °C (≈ 2 % of salinity).
    /// </summary>
    public IAnalogInput? NtcRail { get; set; }

    /// <summary>Rail volts per volt at the rail input (10 kΩ / 10 kΩ divider: 2).</summary>
    public double NtcRailDividerRatio { get; set; } = 2.0;

    /// <summary>Thermistor β, K.</summary>
    public double NtcBeta { get; set; } = 3950;

    /// <inheritdoc/>
    public RawFrame Read(int burstSize)
    {
        _power.PowerUp();
        try
        {
            var frame = new RawFrame();
            frame.EcCounts = Burst(_ec, burstSize);
            frame.EcFullScale = _ec.FullScale;
            frame.EcHighestCode = _ec.HighestCode;
            frame.EcFullScaleVolts = _ec.FullScaleVolts;
            if (_pressure != null)
            {
                frame.PressureCounts = Burst(_pressure, burstSize);
                frame.PressureFullScale = _pressure.FullScale;
                frame.PressureFullScaleVolts = _pressure.FullScaleVolts;
            }

            if (_supply != null)
            {
                int[] supply = Burst(_supply, 3);
                double[] sv = new double[supply.Length];
                for (int i = 0; i < supply.Length; i++)
                {
                    sv[i] = supply[i] < 0 ? double.NaN : supply[i] * _supply.FullScaleVolts / _supply.FullScale * SupplyDividerRatio;
                }

                frame.PressureSupplyVolts = MedianFilter.Median(sv);
            }

            int[] ntc = Burst(_ntc, burstSize);
            double[] asDouble = new double[ntc.Length];
            for (int i = 0; i < ntc.Length; i++)
            {
                asDouble[i] = ntc[i];
            }

            // The divider's output over its supply is the thermistor's ratio: the supply as measured when the rail input
            // is fitted (and plausible), else its nominal value.
            double railVolts = NtcSupplyVolts;
            if (NtcRail != null)
            {
                int[] rail = Burst(NtcRail, burstSize);
                double[] rv = new double[rail.Length];
                for (int i = 0; i < rail.Length; i++)
                {
                    rv[i] = rail[i] < 0 ? double.NaN : rail[i] * NtcRail.FullScaleVolts / NtcRail.FullScale * NtcRailDividerRatio;
                }

                double measured = MedianFilter.Median(rv);
                if (measured > 2.8 && measured < 3.8)
                {
                    railVolts = measured;
                }
            }

            frame.WaterTempC = NtcThermistor.Celsius(MedianFilter.Median(asDouble) * _ntc.FullScaleVolts / railVolts, _ntc.FullScale, NtcFixedOhms, NtcR0Ohms, NtcBeta);
            if (_air.TryRead(out double t, out double p, out double h))
            {
                frame.AirTempC = t;
                frame.AirPressureHpa = p;
                frame.HumidityPct = h;
            }

            if (_range != null && _range.TryReadPulse(out double pulse))
            {
                frame.RangePulseSeconds = pulse;
            }

            return frame;
        }
        finally
        {
            _power.PowerDown();
        }
    }

    private static int[] Burst(IAnalogInput input, int n)
    {
        input.SelectRange();
        int[] counts = new int[n];
        for (int i = 0; i < n; i++)
        {
            counts[i] = input.Read();
        }

        return counts;
    }
}
