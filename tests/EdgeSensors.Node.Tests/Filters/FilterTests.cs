using EdgeSensors.Node.Filters;

namespace EdgeSensors.Node.Tests.Filters;

public class FilterTests
{
    [Fact]
    public void Median_ignores_NaN_and_handles_even_counts()
    {
        Assert.Equal(3, MedianFilter.Median([5, 1, double.NaN, 3, 100, 2]));
        Assert.Equal(2.5, MedianFilter.Median([4, 1, 2, 3]));
        Assert.True(double.IsNaN(MedianFilter.Median([double.NaN])));
    }

    [Fact]
    public void Median_matches_a_sort_on_random_bursts()
    {
        var random = new Random(9);
        for (int i = 0; i < 500; i++)
        {
            double[] v = Enumerable.Range(0, random.Next(1, 33)).Select(_ => random.NextDouble()).ToArray();
            double[] sorted = v.Order().ToArray();
            double expected = sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
            Assert.Equal(expected, MedianFilter.Median(v));
        }
    }

    [Fact]
    public void Moving_average_smooths_and_resets()
    {
        var ema = new ExponentialMovingAverage(0.5);
        Assert.Equal(10, ema.Update(10));
        Assert.Equal(15, ema.Update(20));
        Assert.Equal(15, ema.Update(double.NaN));
        ema.Reset();
        Assert.Equal(2, ema.Update(2));
        Assert.Equal(7, new ExponentialMovingAverage(1).Update(7));
    }

    [Fact]
    public void Outlier_rejection_drops_a_spike_and_keeps_the_rest()
    {
        double mean = OutlierRejector.RobustMean([1.00, 1.01, 0.99, 1.02, 0.98, 9.0, 1.00], 3.5, 0.001, out int rejected);
        Assert.Equal(1, rejected);
        Assert.Equal(1.0, mean, 9);
    }

    [Theory]
    [InlineData(new[] { 0, 1, 0, 2, 1 }, SensorFault.AdcRailLow)]
    [InlineData(new[] { 4095, 4094, 4095, 4093 }, SensorFault.AdcRailHigh)]
    [InlineData(new[] { 0, 2000, 4095 }, SensorFault.None)]
    [InlineData(new int[0], SensorFault.NoResponse)]
    public void Rail_stuck_ADC_bursts_are_classified(int[] counts, SensorFault expected)
    {
        Assert.Equal(expected, SensorFaultDetector.ClassifyAdcBurst(counts, 4095, 2));
    }

    [Fact]
    public void Jumps_beyond_physics_are_implausible()
    {
        Assert.False(SensorFaultDetector.IsImplausibleJump(double.NaN, 5, 60, 0.01, 1.5));
        Assert.False(SensorFaultDetector.IsImplausibleJump(2.0, 3.0, 60, 0.01, 1.5));
        Assert.True(SensorFaultDetector.IsImplausibleJump(2.0, 9.0, 60, 0.01, 1.5));
        Assert.False(SensorFaultDetector.IsImplausibleJump(2.0, 9.0, 3600, 0.01, 1.5));
    }
}
