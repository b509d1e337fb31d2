using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Tests.Numerics;

public class FloatMathTests
{
    private static IEnumerable<double> Samples(int seed, int n, double min, double max)
    {
        var random = new Random(seed);
        for (int i = 0; i < n; i++)
        {
            yield return min + (random.NextDouble() * (max - min));
        }
    }

    private static void Close(double expected, double actual, double relative)
    {
        double scale = Math.Max(Math.Abs(expected), 1e-300);
        Assert.True(Math.Abs(expected - actual) <= relative * scale, $"expected {expected:R}, got {actual:R}");
    }

    [Fact]
    public void Sqrt_matches_System_Math_over_many_magnitudes()
    {
        foreach (double x in Samples(1, 5000, 0, 1).Select((v, i) => v * Math.Pow(10, (i % 40) - 20)))
        {
            Close(Math.Sqrt(x), FloatMath.Sqrt(x), 4.5e-16); // within 2 ulps
        }

        Assert.Equal(0, FloatMath.Sqrt(0));
        Assert.True(double.IsNaN(FloatMath.Sqrt(-1)));
        Close(Math.Sqrt(double.Epsilon * 1000), FloatMath.Sqrt(double.Epsilon * 1000), 1e-10);
    }

    [Fact]
    public void Log_and_Exp_match_System_Math()
    {
        foreach (double x in Samples(2, 5000, 1e-6, 1e6))
        {
            Close(Math.Log(x), FloatMath.Log(x), 4e-16);
        }

        foreach (double x in Samples(3, 5000, -700, 700))
        {
            Close(Math.Exp(x), FloatMath.Exp(x), 2e-15);
        }

        Assert.True(double.IsNaN(FloatMath.Log(-1)));
        Assert.Equal(double.NegativeInfinity, FloatMath.Log(0));
    }

    [Fact]
    public void Pow_matches_System_Math_for_fractional_and_integer_exponents()
    {
        var random = new Random(4);
        for (int i = 0; i < 5000; i++)
        {
            double x = random.NextDouble() * 100;
            double y = (random.NextDouble() * 10) - 5;
            Close(Math.Pow(x, y), FloatMath.Pow(x, y), 3e-14);
            int n = random.Next(-10, 11);
            Close(Math.Pow(x, n), FloatMath.Pow(x, n), 3e-15);
        }
    }

    [Fact]
    public void Sin_and_Cos_match_System_Math()
    {
        foreach (double x in Samples(5, 5000, -100, 100))
        {
            Assert.True(Math.Abs(Math.Sin(x) - FloatMath.Sin(x)) < 1e-14, $"sin {x}");
            Assert.True(Math.Abs(Math.Cos(x) - FloatMath.Cos(x)) < 1e-14, $"cos {x}");
        }
    }

    [Theory]
    [InlineData(2.5, 2.0)]
    [InlineData(-2.5, -3.0)]
    [InlineData(3.0, 3.0)]
    [InlineData(-0.0000001, -1.0)]
    public void Floor_rounds_down(double x, double expected) => Assert.Equal(expected, FloatMath.Floor(x));
}
