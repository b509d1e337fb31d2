using EdgeSensors.Node.Config;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Samples;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Tests.Cycle;

public class SampleProcessorTests
{
    private static RawFrame Frame(double ec25Raw, double gaugeHpa, double waterT = 28, double perVolt = 6.1)
    {
        int ec = (int)Math.Round(ec25Raw / perVolt / 3.3 * 4095);
        var defaults = new NodeConfig();
        int p = (int)Math.Round(((gaugeHpa / defaults.PressureHpaPerVolt) + defaults.PressureZeroVolts) / 3.3 * 4095);
        return new RawFrame
        {
            EcCounts = [ec, ec, ec + 1, ec - 1, ec, ec, 4000, ec, ec], // one spike to reject
            PressureCounts = [p, p, p, p, p, p, p, p, p],
            EcFullScale = 4095, // a 12-bit converter at 3.3 V: the processor takes any converter's scale
            EcFullScaleVolts = 3.3,
            PressureFullScale = 4095,
            PressureFullScaleVolts = 3.3,
            WaterTempC = waterT,
            AirTempC = 30,
            AirPressureHpa = 1008,
            HumidityPct = 70,
        };
    }

    [Fact]
    public void Raw_counts_become_calibrated_salinity_and_level()
    {
        var config = new NodeConfig { EcGain = 1.02, EcOffset = -0.01, EcAlpha = 0.0191, EcMsCmPerVolt = 10, SensorElevationM = -1.0 };
        var processor = new SampleProcessor(config);
        ProcessedSample result = processor.Process(Frame(3.0, 98.1, perVolt: 10), 0);
        Assert.Empty(result.Faults);

        // Expected, step by step from the counts the ADC would really give.
        double volts = Math.Round(3.0 / 10 / 3.3 * 4095) * 3.3 / 4095;
        double ec25 = (1.02 * volts * 10) - 0.01;
        double ecT = ec25 * (1 + (0.0191 * 3));
        double pVolts = Math.Round(((98.1 / 500.0) + 0.25) / 3.3 * 4095) * 3.3 / 4095;
        double hpa = (pVolts - 0.25) * 500;
        double sp = PracticalSalinity.FromConductivity(ecT, 28, hpa / 100);
        Assert.Equal(ecT, result.Reading.EcMsCm, 9);
        Assert.Equal(sp, result.Reading.SalinityPpt, 9);
        double level = -1.0 + (hpa * 100 / (SeawaterDensity.AtSurface(sp, 28) * Gravity.AtLatitude(9.78)));
        Assert.Equal(level, result.Reading.LevelM, 9);
        Assert.InRange(result.Reading.LevelM, -0.01, 0.01); // ~1 m of water over a sensor 1 m below datum
    }

    [Theory]
    [InlineData(28.0)]
    [InlineData(double.NaN)]
    public void With_the_EC_probe_open_the_level_is_still_reported_with_fresh_water_density_and_flagged(double waterT)
    {
        var config = new NodeConfig { SensorElevationM = -1.0 };
        RawFrame frame = Frame(3.0, 98.1, waterT);
        frame.EcCounts = [0, 0, 1, 0, 0, 0, 0, 1, 0]; // the probe out of the water: the bottom rail
        ProcessedSample result = new SampleProcessor(config).Process(frame, 0);

        Assert.False(result.Reading.Has(0)); // no salinity without the probe
        Assert.Contains("ec_ms_cm:open_probe", result.Faults);
        Assert.Contains("level_m:fresh_water_assumed", result.Faults);
        double pVolts = Math.Round(((98.1 / 500.0) + 0.25) / 3.3 * 4095) * 3.3 / 4095;
        double hpa = (pVolts - 0.25) * 500;
        double fresh = -1.0 + (hpa * 100 / (SeawaterDensity.AtSurface(0, 28) * Gravity.AtLatitude(9.78)));
        Assert.Equal(fresh, result.Reading.LevelM, 9);

        // Against the truth at 12 ‰ the assumption costs under 1 cm per metre of water.
        double salty = -1.0 + (hpa * 100 / (SeawaterDensity.AtSurface(12, 28) * Gravity.AtLatitude(9.78)));
        Assert.InRange(result.Reading.LevelM - salty, 0, 0.01);
    }

    [Theory]
    [InlineData(26400, true)]  // the supply's code at ±4.096 V: clipped
    [InlineData(25700, true)]  // just under it: the board's output saturates a little below its supply
    [InlineData(24000, false)] // a real reading
    public void An_EC_burst_at_the_supply_s_code_is_a_clipped_reading_not_a_value(int code, bool clipped)
    {
        RawFrame frame = Frame(3.0, 98.1);
        frame.EcFullScale = 32767;
        frame.EcFullScaleVolts = 4.096;
        frame.EcHighestCode = 26400; // ADS1115 on 3.3 V at ±4.096 V
        frame.EcCounts = [code, code, code - 1, code, code + 1, code, code, code, code];
        ProcessedSample result = new SampleProcessor(new NodeConfig()).Process(frame, 0);
        Assert.Equal(clipped, result.Faults.Contains("ec_ms_cm:adc_rail_high"));
        Assert.Equal(!clipped, result.Reading.Has(0));
    }

    [Fact]
    public void Stuck_ADC_and_missing_water_temperature_drop_fields_with_faults()
    {
        var processor = new SampleProcessor(new NodeConfig());
        RawFrame frame = Frame(3.0, 100);
        frame.PressureCounts = [4095, 4095, 4094, 4095];
        frame.WaterTempC = double.NaN;
        ProcessedSample result = processor.Process(frame, 0);
        Assert.False(result.Reading.Has(0));
        Assert.False(result.Reading.Has(1));
        Assert.False(result.Reading.Has(3));
        Assert.Contains("level_m:adc_rail_high", result.Faults);
        Assert.Contains("water_temp_c:no_response", result.Faults);
        Assert.Contains("ec_ms_cm:missing_input", result.Faults);
        Assert.True(result.Reading.Has(4));
    }

    [Fact]
    public void An_implausible_salinity_jump_is_dropped_once_then_accepted_when_confirmed()
    {
        var processor = new SampleProcessor(new NodeConfig());
        Assert.Empty(processor.Process(Frame(3.0, 100), 0).Faults);
        ProcessedSample jump = processor.Process(Frame(20.0, 100), 60);
        Assert.Contains("salinity_ppt:implausible_jump", jump.Faults);
        Assert.False(jump.Reading.Has(0));
        ProcessedSample confirmed = processor.Process(Frame(20.1, 100), 120);
        Assert.Empty(confirmed.Faults);
        Assert.True(confirmed.Reading.SalinityPpt > 10);
    }

    [Fact]
    public void Ultrasonic_level_uses_air_temperature()
    {
        var processor = new SampleProcessor(new NodeConfig { LevelSource = LevelSource.Ultrasonic, MountElevationM = 3.0 });
        RawFrame frame = Frame(3.0, 0);
        frame.RangePulseSeconds = 2 * 1.2 / WaterLevel.SpeedOfSoundInAir(30);
        Assert.Equal(1.8, processor.Process(frame, 0).Reading.LevelM, 9);
        frame.RangePulseSeconds = double.NaN;
        Assert.Contains("level_m:no_response", new SampleProcessor(new NodeConfig { LevelSource = LevelSource.Ultrasonic }).Process(frame, 0).Faults);
    }

    [Theory]
    [InlineData(5.0)]
    [InlineData(35.0)]
    public void A_MaxSonar_pulse_is_one_microsecond_per_millimetre_whatever_the_air_temperature(double airTempC)
    {
        // HRXL-MaxSonar-WR: pin 2's pulse is 1 µs per mm one way, compensated inside the sensor. Read with the
        // HC-SR04 rule (round trip at the speed of sound) the same pulse would be ~5.8 times short.
        var config = new NodeConfig { LevelSource = LevelSource.MaxSonar, MountElevationM = 3.0 };
        RawFrame frame = Frame(3.0, 0);
        frame.AirTempC = airTempC;
        frame.RangePulseSeconds = 1200e-6;
        ProcessedSample sample = new SampleProcessor(config).Process(frame, 0);
        Assert.DoesNotContain(sample.Faults, f => f.StartsWith("level_m", StringComparison.Ordinal));
        Assert.Equal(1.8, sample.Reading.LevelM, 9);

        double hcsr04Rule = WaterLevel.Ultrasonic(1200e-6, airTempC, 3.0);
        Assert.True(3.0 - hcsr04Rule < 1.2 / 5, $"the HC-SR04 rule would read {3.0 - hcsr04Rule:F3} m of 1.2 m");
    }

    [Theory]
    [InlineData(5000e-6, "level_m:no_response")]  // the 5 m model's longest pulse: no target found
    [InlineData(300e-6, "level_m:out_of_range")]  // its shortest: water at or inside 300 mm of the sensor face
    [InlineData(double.NaN, "level_m:no_response")] // no pulse at all
    public void A_MaxSonar_range_limit_is_flagged_not_published_as_a_level(double pulse, string fault)
    {
        var config = new NodeConfig { LevelSource = LevelSource.MaxSonar, MountElevationM = 3.0 };
        RawFrame frame = Frame(3.0, 0);
        frame.RangePulseSeconds = pulse;
        ProcessedSample sample = new SampleProcessor(config).Process(frame, 0);
        Assert.Contains(fault, sample.Faults);
        Assert.True(double.IsNaN(sample.Reading.LevelM));
    }

    [Fact]
    public void Raw_EC25_is_what_the_calibration_wizard_fits_against()
    {
        var config = new NodeConfig();
        var processor = new SampleProcessor(config);
        double rawLow = processor.RawEc25(Frame(1.413 * 1.1, 0));
        double rawHigh = processor.RawEc25(Frame(12.88 * 1.1, 0));
        TwoPointCalibration cal = TwoPointCalibration.Fit(rawLow, 1.413, rawHigh, 12.88, out _)!;
        Assert.Equal(1 / 1.1, cal.Gain, 2);
    }
}
