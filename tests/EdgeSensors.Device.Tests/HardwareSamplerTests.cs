using EdgeSensors.Node.Config;
using EdgeSensors.Node.Device;
using EdgeSensors.Node.Samples;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Device.Tests;

/// <summary>Raw count → calibrated reading through the hardware sampler's seams, as on the device.</summary>
public class HardwareSamplerTests
{
    private sealed class FixedEcho(double seconds) : IRangeSensor
    {
        public bool TryReadPulse(out double echoSeconds)
        {
            echoSeconds = seconds;
            return !double.IsNaN(seconds);
        }
    }

    [Fact]
    public void Ultrasonic_level_uses_the_BME280_air_temperature_for_the_speed_of_sound()
    {
        var canal = new SimulatedCanal();
        var power = new CountingPower();
        double airT = 25.08; // the fake BME280's datasheet temperature
        double echo = 2 * 1.75 / WaterLevel.SpeedOfSoundInAir(airT);
        var sampler = new SimulatedFrontEnd(canal).Sampler(power, new Bme280AirSensor(new FakeBme280I2cDevice()), new FixedEcho(echo));
        RawFrame frame = sampler.Read(5);
        Assert.Equal(1, power.Cycles);
        Assert.False(power.IsOn); // sensors powered only while reading

        var processor = new SampleProcessor(new NodeConfig { LevelSource = LevelSource.Ultrasonic, MountElevationM = 3.0 });
        ProcessedSample s = processor.Process(frame, 0);
        Assert.Equal(1.25, s.Reading.LevelM, 3);
        Assert.Equal(28.0, s.Reading.WaterTempC, 0); // NTC counts → β equation
        Assert.Equal(2.4, s.Reading.SalinityPpt, 1);
    }

    [Fact]
    public void A_missing_echo_is_a_fault_not_a_level()
    {
        var canal = new SimulatedCanal();
        var sampler = new SimulatedFrontEnd(canal).Sampler(new CountingPower(), new Bme280AirSensor(new FakeBme280I2cDevice()), new FixedEcho(double.NaN));
        ProcessedSample s = new SampleProcessor(new NodeConfig { LevelSource = LevelSource.Ultrasonic }).Process(sampler.Read(5), 0);
        Assert.False(s.Reading.Has(3));
        Assert.Contains("level_m:no_response", s.Faults);
    }

    [Theory]
    [InlineData(10.0)]
    [InlineData(25.0)]
    [InlineData(38.0)]
    public void The_NTC_conversion_inverts(double celsius)
    {
        double counts = NtcThermistor.Counts(celsius, 4095, 10000, 10000, 3950);
        Assert.Equal(celsius, NtcThermistor.Celsius(counts, 4095, 10000, 10000, 3950), 6);
        Assert.True(double.IsNaN(NtcThermistor.Celsius(0, 4095, 10000, 10000, 3950))); // shorted
        Assert.True(double.IsNaN(NtcThermistor.Celsius(4095, 4095, 10000, 10000, 3950))); // open
    }
}
