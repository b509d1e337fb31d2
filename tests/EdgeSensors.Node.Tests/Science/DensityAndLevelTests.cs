using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Tests.Science;

public class DensityAndLevelTests
{
    public static TheoryData<double, double, double, double> DensityCheckValues()
    {
        var data = new TheoryData<double, double, double, double>();
        foreach (double[] r in ReferenceCsv.Rows("eos80-density-check-values.csv"))
        {
            data.Add(r[0], r[1], r[2], r[3]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(DensityCheckValues))]
    public void EOS80_density_matches_the_UNESCO_check_values(double s, double t68, double expected, double tolerance)
    {
        Assert.InRange(SeawaterDensity.AtSurfaceIpts68(s, t68), expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Density_rises_with_salinity_and_falls_with_warmth_in_delta_water()
    {
        Assert.True(SeawaterDensity.AtSurface(4, 28) > SeawaterDensity.AtSurface(1, 28));
        Assert.True(SeawaterDensity.AtSurface(4, 32) < SeawaterDensity.AtSurface(4, 26));
    }

    [Fact]
    public void Gravity_follows_the_international_formula()
    {
        Assert.Equal(9.780318, Gravity.AtLatitude(0), 9);
        Assert.Equal(9.832177, Gravity.AtLatitude(90), 5);
        Assert.Equal(9.806190, Gravity.AtLatitude(45), 5);
        // Vị Thanh, 9.78° N: sin²φ = 0.028859 → 9.780318 × 1.00015237.
        Assert.Equal(9.781808, Gravity.AtLatitude(Gravity.HauGiangLatitude), 5);
    }

    [Theory]
    [InlineData(0.0, 28.0, 1.234, 0.0)]
    [InlineData(4.0, 30.0, 0.82, -1.5)]
    [InlineData(10.0, 25.0, 2.5, 0.25)]
    public void Hydrostatic_level_recovers_the_water_column(double sp, double t, double depth, double elevation)
    {
        double g = Gravity.AtLatitude(Gravity.HauGiangLatitude);
        double rho = SeawaterDensity.AtSurface(sp, t);
        double gaugeHpa = rho * g * depth / 100.0;
        Assert.Equal(elevation + depth, WaterLevel.Hydrostatic(gaugeHpa, PressureReference.Gauge, double.NaN, sp, t, g, elevation), 9);
        Assert.Equal(elevation + depth, WaterLevel.Hydrostatic(gaugeHpa + 1008.2, PressureReference.Absolute, 1008.2, sp, t, g, elevation), 9);
    }

    [Fact]
    public void Saltier_water_means_a_lower_level_for_the_same_pressure()
    {
        double g = Gravity.AtLatitude(9.78);
        Assert.True(WaterLevel.Hydrostatic(100, PressureReference.Gauge, 0, 10, 28, g, 0) < WaterLevel.Hydrostatic(100, PressureReference.Gauge, 0, 0.2, 28, g, 0));
    }

    [Fact]
    public void Absolute_sensor_without_air_pressure_gives_no_level()
    {
        Assert.True(double.IsNaN(WaterLevel.Hydrostatic(1100, PressureReference.Absolute, double.NaN, 1, 28, 9.78, 0)));
    }

    [Fact]
    public void Ultrasonic_level_uses_the_speed_of_sound_at_air_temperature()
    {
        Assert.Equal(331.3, WaterLevel.SpeedOfSoundInAir(0), 9);
        Assert.Equal(343.2, WaterLevel.SpeedOfSoundInAir(20), 1);
        double c30 = WaterLevel.SpeedOfSoundInAir(30);
        double echo = 2 * 1.75 / c30; // 1.75 m to the water
        Assert.Equal(3.0 - 1.75, WaterLevel.Ultrasonic(echo, 30, 3.0), 9);
        Assert.True(double.IsNaN(WaterLevel.Ultrasonic(double.NaN, 30, 3.0)));
    }
}
