using EdgeSensors.Node.Probe;

namespace EdgeSensors.Node.Tests.Probe;

public class ProbeAndCalibrationTests
{
    [Theory]
    [InlineData(0.0185)]
    [InlineData(0.0191)]
    [InlineData(0.02)]
    public void Undoing_EC25_compensation_recovers_the_in_situ_conductivity(double alpha)
    {
        // A probe in 30 °C water of in-situ EC 5.0 mS/cm reports EC25 = 5.0 / (1 + α·5).
        double ec25 = 5.0 / (1 + (alpha * 5));
        Assert.Equal(5.0, ConductivityProbe.InSituFromEc25(ec25, 30, alpha), 12);
        Assert.Equal(ec25, ConductivityProbe.Ec25FromInSitu(5.0, 30, alpha), 12);
        Assert.Equal(ec25, ConductivityProbe.InSituFromEc25(ec25, 25, alpha), 12);
    }

    [Fact]
    public void Two_point_fit_maps_the_standards_exactly_and_corrects_in_between()
    {
        // A probe that reads 8 % high with a 0.05 mS/cm offset.
        static double Probe(double truth) => (truth * 1.08) + 0.05;
        var cal = TwoPointCalibration.Fit(Probe(1.413), 1.413, Probe(12.88), 12.88, out string reason);
        Assert.NotNull(cal);
        Assert.Equal(string.Empty, reason);
        Assert.Equal(1.413, cal.Apply(Probe(1.413)), 12);
        Assert.Equal(12.88, cal.Apply(Probe(12.88)), 12);
        Assert.Equal(6.0, cal.Apply(Probe(6.0)), 12);
        Assert.Equal(1 / 1.08, cal.Gain, 12);
    }

    [Theory]
    [InlineData(5.0, 5.0, "no higher")]
    [InlineData(9.0, 2.0, "no higher")]
    [InlineData(1.0, 100.0, "gain")]
    [InlineData(double.NaN, 12.0, "numbers")]
    public void Two_point_fit_refuses_readings_that_cannot_be_a_calibration(double rawLow, double rawHigh, string expected)
    {
        Assert.Null(TwoPointCalibration.Fit(rawLow, 1.413, rawHigh, 12.88, out string reason));
        Assert.Contains(expected, reason, StringComparison.Ordinal);
    }
}
