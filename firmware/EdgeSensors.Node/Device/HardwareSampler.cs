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
    private readonly IAnalogInput _ntc;
    private readonly IAirSensor _air;
    private readonly IRangeSensor? _range;

    /// <summary>Builds the sampler from the adapters (pressure and ranger optional).</summary>
    public HardwareSampler(ISensorPower power, IAnalogInput ec, IAnalogInput? pressure, IAnalogInput ntc, IAirSensor air, IRangeSensor? range)
    {
        _power = power;
        _ec = ec;
        _pressure = pressure;
        _ntc = ntc;
        _air = air;
        _range = range;
    }

    /// <summary>Fixed resistor of the thermistor divider, Ω.</summary>
    public double NtcFixedOhms { get; set; } = 10000;

    /// <summary>Thermistor resistance at 25 °C, Ω.</summary>
    public double NtcR0Ohms { get; set; } = 10000;

    /// <summary>Thermistor β, K.</summary>
    public double NtcBeta { get; set; } = 3950;

    /// <inheritdoc/>
    public RawFrame Read(int burstSize)
    {
        _power.PowerUp();
        try
        {
            var frame = new RawFrame
            {
                AdcFullScale = _ec.FullScale,
                AdcFullScaleVolts = _ec.FullScaleVolts,
                EcCounts = Burst(_ec, burstSize),
                PressureCounts = _pressure == null ? new int[0] : Burst(_pressure, burstSize),
            };

            int[] ntc = Burst(_ntc, burstSize);
            double[] asDouble = new double[ntc.Length];
            for (int i = 0; i < ntc.Length; i++)
            {
                asDouble[i] = ntc[i];
            }

            frame.WaterTempC = NtcThermistor.Celsius(MedianFilter.Median(asDouble), _ntc.FullScale, NtcFixedOhms, NtcR0Ohms, NtcBeta);
            if (_air.TryRead(out double t, out double p, out double h))
            {
                frame.AirTempC = t;
                frame.AirPressureHpa = p;
                frame.HumidityPct = h;
            }

            if (_range != null && _range.TryReadEcho(out double echo))
            {
                frame.EchoSeconds = echo;
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
        int[] counts = new int[n];
        for (int i = 0; i < n; i++)
        {
            counts[i] = input.Read();
        }

        return counts;
    }
}
