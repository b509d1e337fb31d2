using EdgeSensors.Node.Config;
using EdgeSensors.Node.Device;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Samples;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Device.Tests;

/// <summary>
/// The node's analog front end at register level: the EC board's output through the isolated ADS1115 (desktop
/// Iot.Device.Ads1115 binding over a register-level fake), auto-ranged by the node logic, into PSS-78 salinity.
/// </summary>
public class FrontEndTests
{
    /// <summary>Resolution the front end must reach at the crop thresholds, ‰ (issue 20).</summary>
    private const double StatedResolutionPpt = 0.02;

    private static ProcessedSample Measure(SimulatedCanal canal, NodeConfig config, out SimulatedFrontEnd front)
    {
        front = new SimulatedFrontEnd(canal);
        RawFrame frame = front.Sampler(new CountingPower(), new Bme280AirSensor(new FakeBme280I2cDevice())).Read(config.BurstSize);
        return new SampleProcessor(config).Process(frame, 0);
    }

    [Theory]
    [InlineData(0.1)] // fresh canal water
    [InlineData(0.3)] // watch: durian, pomelo, citrus, sugarcane, vegetables, domestic
    [InlineData(0.5)] // warning: durian, pomelo, citrus, sugarcane, vegetables, domestic
    [InlineData(0.6)] // watch: rice, banana/longan
    [InlineData(0.8)] // danger: pomelo, citrus
    [InlineData(1.0)] // warning: rice; danger: durian, vegetables
    [InlineData(1.2)] // danger: sugarcane
    [InlineData(1.5)] // danger: rice at tillering and flowering
    [InlineData(2.0)] // danger: rice at sowing; warning: shrimp–rice, poultry
    [InlineData(3.0)]
    [InlineData(4.0)] // warning: mango, pigs
    [InlineData(5.0)]
    [InlineData(8.0)] // warning: coconut
    [InlineData(10.0, 30.0)] // danger: coconut; about the top at 30 °C
    [InlineData(12.0, 20.0)] // the front end's top: 12 ‰ is readable only in water below about 22 °C (3 % under the 3.3 V rail)
    public void Salinity_from_fresh_water_to_12_ppt_reads_within_the_stated_resolution(double salinity, double waterTempC = 28.0)
    {
        var canal = new SimulatedCanal { Salinity = salinity, WaterTempC = waterTempC };
        ProcessedSample s = Measure(canal, new NodeConfig(), out SimulatedFrontEnd front);

        Assert.DoesNotContain(s.Faults, f => f.StartsWith("ec_ms_cm", StringComparison.Ordinal));
        Assert.True(s.Reading.Has(0), "no salinity: " + string.Join(", ", s.Faults));
        Assert.InRange(s.Reading.SalinityPpt, salinity - StatedResolutionPpt, salinity + StatedResolutionPpt);

        // One converter step at the range the burst used moves salinity by far less than the stated resolution.
        int range = front.Ec.Range;
        double lsbMsCm = Ads1115Range.LsbVolts(range) * new NodeConfig().EcMsCmPerVolt;
        double ec = canal.InSituConductivity();
        double step = PracticalSalinity.FromConductivity(ec + lsbMsCm, canal.WaterTempC, 0) - PracticalSalinity.FromConductivity(ec, canal.WaterTempC, 0);
        Assert.True(step < StatedResolutionPpt / 10, $"one step is {step:F5} ‰ at range {range}");
    }

    [Theory]
    [InlineData(12.0, 28.0)]
    [InlineData(12.0, 35.0)]
    public void Salt_water_above_what_the_3V3_rail_can_code_is_flagged_rail_high_not_read(double salinity, double waterTempC)
    {
        var canal = new SimulatedCanal { Salinity = salinity, WaterTempC = waterTempC };
        ProcessedSample s = Measure(canal, new NodeConfig(), out _);
        Assert.Contains("ec_ms_cm:adc_rail_high", s.Faults);
        Assert.False(s.Reading.Has(0), $"{s.Reading.SalinityPpt:F2} ‰ published for clipped {salinity} ‰ at {waterTempC} °C");
    }

    [Fact]
    public void Fresh_water_is_read_at_the_narrowest_range_never_as_an_open_probe()
    {
        var canal = new SimulatedCanal { Salinity = 0.1, WaterTempC = 30.0 };
        ProcessedSample s = Measure(canal, new NodeConfig(), out SimulatedFrontEnd front);
        Assert.Equal(Ads1115Range.Narrowest, front.Ec.Range);
        Assert.True(front.Isolated.ConversionsAtRange[5] >= new NodeConfig().BurstSize, "the EC burst was not taken at ±0.256 V");
        Assert.DoesNotContain("ec_ms_cm:open_probe", s.Faults);
        Assert.InRange(s.Reading.SalinityPpt, 0.08, 0.12);
    }

    [Fact]
    public void A_probe_out_of_the_water_is_still_an_open_probe()
    {
        var canal = new SimulatedCanal { ProbeOut = true };
        ProcessedSample s = Measure(canal, new NodeConfig(), out _);
        Assert.Contains("ec_ms_cm:open_probe", s.Faults);
        Assert.False(s.Reading.Has(0));
    }

    [Fact]
    public void An_unpowered_isolated_side_is_no_response_not_fresh_water_or_an_open_probe()
    {
        var canal = new SimulatedCanal();
        var front = new SimulatedFrontEnd(canal);
        front.Isolated.Unpowered = true;
        RawFrame frame = front.Sampler(new CountingPower(), new Bme280AirSensor(new FakeBme280I2cDevice())).Read(5);
        ProcessedSample s = new SampleProcessor(new NodeConfig()).Process(frame, 0);
        Assert.Contains("ec_ms_cm:no_response", s.Faults);
    }

    [Fact]
    public void A_low_boost_rail_does_not_move_the_level_the_transducer_is_read_ratiometrically()
    {
        var config = new NodeConfig { SensorElevationM = -1.0 };
        var nominal = new SimulatedCanal { DepthM = 2.0, SupplyVolts = 5.0 };
        var sagging = new SimulatedCanal { DepthM = 2.0, SupplyVolts = 4.85 };
        double a = Measure(nominal, config, out _).Reading.LevelM;
        double b = Measure(sagging, config, out _).Reading.LevelM;
        Assert.Equal(1.0, a, 2);
        Assert.True(Math.Abs(a - b) < 0.005, $"level moved {a - b:F3} m with a 3 % low rail");
    }

    /// <summary>Two-point calibration in KCl standards at <paramref name="tempC"/>, as the wizard does it.</summary>
    private static NodeConfig CalibrateAt(SimulatedCanal canal, double tempC, double alpha)
    {
        var uncalibrated = new NodeConfig { EcAlpha = alpha };
        double Point(double label, out double standard)
        {
            canal.StandardAt25 = label;
            canal.WaterTempC = tempC;
            var front = new SimulatedFrontEnd(canal);
            RawFrame frame = front.Sampler(new CountingPower(), new Bme280AirSensor(new FakeBme280I2cDevice())).Read(9);
            double raw = new SampleProcessor(uncalibrated).RawEc25(frame);
            standard = alpha > 0 ? label : KclStandard.AtTemperature(label, frame.WaterTempC);
            return raw;
        }

        double rawLow = Point(TwoPointCalibration.LowStandardMsCm, out double low);
        double rawHigh = Point(TwoPointCalibration.HighStandardMsCm, out double high);
        canal.StandardAt25 = null;
        TwoPointCalibration fit = TwoPointCalibration.Fit(rawLow, low, rawHigh, high, out string reason) ?? throw new InvalidOperationException(reason);
        return new NodeConfig { EcAlpha = alpha, EcGain = fit.Gain, EcOffset = fit.Offset };
    }

    [Theory]
    [InlineData(2.0)]
    [InlineData(4.0)]
    public void A_probe_calibrated_cold_reads_right_warm(double salinity)
    {
        // A board 6 % off its nominal transfer with a 5 mV offset, calibrated in a 22 °C office, measured in 25–35 °C water.
        var canal = new SimulatedCanal { BoardMsCmPerVolt = 5.75, BoardOffsetVolts = 0.005, Salinity = salinity };
        NodeConfig calibrated = CalibrateAt(canal, 22.0, alpha: 0);
        foreach (double t in new[] { 25.0, 30.0, 35.0 })
        {
            canal.WaterTempC = t;
            double read = Measure(canal, calibrated, out _).Reading.SalinityPpt;
            Assert.True(Math.Abs(read - salinity) / salinity < 0.02, $"{salinity} ‰ at {t} °C read {read:F3} ‰");
        }
    }

    [Fact]
    public void Correcting_the_temperature_twice_as_before_misses_by_more_than_the_tolerance()
    {
        // The control: the old treatment (board output taken as EC25, α 0.0191 applied, standards at their labels).
        var canal = new SimulatedCanal { BoardMsCmPerVolt = 5.75, BoardOffsetVolts = 0.005, Salinity = 4.0 };
        NodeConfig doubled = CalibrateAt(canal, 22.0, alpha: 0.0191);
        canal.WaterTempC = 35.0;
        double read = Measure(canal, doubled, out _).Reading.SalinityPpt;
        Assert.True(Math.Abs(read - 4.0) / 4.0 > 0.1, $"read {read:F3} ‰");
    }
}
