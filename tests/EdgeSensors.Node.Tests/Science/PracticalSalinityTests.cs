using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Tests.Science;

public class PracticalSalinityTests
{
    public static TheoryData<double, double, double, double, double> CheckValues()
    {
        var data = new TheoryData<double, double, double, double, double>();
        foreach (double[] r in ReferenceCsv.Rows("pss78-check-values.csv"))
        {
            data.Add(r[0], r[1], r[2], r[3], r[4]);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(CheckValues))]
    public void Matches_the_TEOS10_check_values(double c, double t, double p, double expected, double tolerance)
    {
        Assert.InRange(PracticalSalinity.FromConductivity(c, t, p), expected - tolerance, expected + tolerance);
    }

    [Fact]
    public void Check_values_file_is_not_empty()
    {
        Assert.Equal(6, ReferenceCsv.Rows("pss78-check-values.csv").Count());
    }

    [Fact]
    public void Standard_seawater_at_15_C_is_35()
    {
        // By definition of PSS-78: C(35, 15 °C IPTS-68, 0) = 42.914 mS/cm; t90 = t68 / 1.00024.
        Assert.Equal(35.0, PracticalSalinity.FromConductivity(42.914, 15 / 1.00024, 0), 1e-4);
    }

    /// <summary>Practical salinity where PSS-78 alone gives exactly 2, found by bisection on the PSS-78 polynomial.</summary>
    private static double ConductivityAtPss78Two(double t)
    {
        double lo = 0.5, hi = 10;
        for (int i = 0; i < 200; i++)
        {
            double mid = 0.5 * (lo + hi);
            if (Pss78Only(mid, t, 0) < 2)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return 0.5 * (lo + hi);
    }

    // Independent transcription of the UNESCO 1983 polynomial (no Hill branch), for the tests below.
    private static double Pss78Only(double c, double t, double p)
    {
        double t68 = t * 1.00024, r = c / 42.914;
        double rt = 0.6766097 + (2.00564e-2 * t68) + (1.104259e-4 * t68 * t68) + (-6.9698e-7 * Math.Pow(t68, 3)) + (1.0031e-9 * Math.Pow(t68, 4));
        double rp = 1 + (p * (2.070e-5 + (-6.370e-10 * p) + (3.989e-15 * p * p)) / (1 + (3.426e-2 * t68) + (4.464e-4 * t68 * t68) + ((4.215e-1 + (-3.107e-3 * t68)) * r)));
        double x = Math.Sqrt(r / (rp * rt));
        double dt = t68 - 15;
        double[] a = [0.0080, -0.1692, 25.3851, 14.0941, -7.0261, 2.7081];
        double[] b = [0.0005, -0.0056, -0.0066, -0.0375, 0.0636, -0.0144];
        double s = 0, ds = 0;
        for (int i = 0; i < 6; i++)
        {
            s += a[i] * Math.Pow(x, i);
            ds += b[i] * Math.Pow(x, i);
        }

        return s + (dt / (1 + (0.0162 * dt)) * ds);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(15.0)]
    [InlineData(25.0)]
    [InlineData(30.0)]
    [InlineData(35.0)]
    public void Hill_ratio_equals_the_ratio_found_by_bisection(double t)
    {
        // Rt where PSS-78 gives 2, by bisection; then Hill et al. (1986) there; the ratio 2/Hill must match the
        // GSW one-step Newton shortcut (GSW quotes 9e-16 in SP).
        double c = ConductivityAtPss78Two(t);
        double t68 = t * 1.00024, ft = (t68 - 15) / (1 + (0.0162 * (t68 - 15)));
        double rtLc = 0.6766097 + (2.00564e-2 * t68) + (1.104259e-4 * t68 * t68) + (-6.9698e-7 * Math.Pow(t68, 3)) + (1.0031e-9 * Math.Pow(t68, 4));
        double rt = c / 42.914 / rtLc;
        double x = 400 * rt, sqrty = 10 * Math.Sqrt(rt);
        double hillRaw = 2 - (0.0080 / (1 + (1.5 * x) + (x * x))) - (0.0005 * ft / (1 + sqrty + (sqrty * sqrty) + (sqrty * sqrty * sqrty)));
        Assert.Equal(2 / hillRaw, PracticalSalinity.HillRatioAtSp2(t), 1e-12);
    }

    [Theory]
    [InlineData(0.0)]
    [InlineData(10.0)]
    [InlineData(20.0)]
    [InlineData(28.0)]
    [InlineData(35.0)]
    [InlineData(40.0)]
    public void Low_salinity_branch_is_continuous_at_SP_2(double t)
    {
        double c = ConductivityAtPss78Two(t);
        double below = PracticalSalinity.FromConductivity(c * (1 - 1e-12), t, 0);
        double above = PracticalSalinity.FromConductivity(c * (1 + 1e-12), t, 0);
        Assert.True(below < 2 && above >= 2 - 1e-9, $"straddle failed: {below} {above}");
        Assert.Equal(2.0, below, 1e-9);
        Assert.Equal(2.0, above, 1e-9);
        // And no step just below 2: the Hill branch differs from raw PSS-78 by well under 0.001 here.
        double c19 = c * 0.95;
        Assert.Equal(Pss78Only(c19, t, 0), PracticalSalinity.FromConductivity(c19, t, 0), 2e-3);
    }

    [Theory]
    [InlineData(28.0)]
    [InlineData(5.0)]
    [InlineData(35.0)]
    public void Salinity_falls_smoothly_to_zero_toward_fresh_water(double t)
    {
        // Zero conductivity is zero salinity, exactly (both Hill correction terms cancel PSS-78's constants).
        Assert.Equal(0.0, PracticalSalinity.FromConductivity(0, t, 0), 12);

        // From 3 µS/cm (below any canal or rain water) up to SP = 2, strictly increasing and without steps.
        double previous = 0;
        double previousC = 0;
        for (double c = 0.003; PracticalSalinity.FromConductivity(c, t, 0) < 2; c *= 1.05)
        {
            double sp = PracticalSalinity.FromConductivity(c, t, 0);
            Assert.True(sp > previous, $"not increasing at C={c}");
            // Slope bounded: no jump anywhere on the way to fresh water (dSP/dC stays under 1 ‰ per mS/cm here).
            Assert.True(previousC == 0 || (sp - previous) / (c - previousC) < 1.0, $"step at C={c}");
            previous = sp;
            previousC = c;
        }

        // 10 µS/cm (very fresh) reads as well under 0.01 ‰.
        Assert.InRange(PracticalSalinity.FromConductivity(0.01, t, 0), 0, 0.01);
    }

    [Fact]
    public void Below_about_2_uS_cm_the_GSW_algorithm_leaves_its_domain_and_gives_NaN_not_a_negative_salinity()
    {
        // GSW returns GSW_INVALID_VALUE for SP < 0; so do we. The node's open-probe threshold (10 µS/cm) sits above this.
        Assert.True(double.IsNaN(PracticalSalinity.FromConductivity(0.0005, 28, 0)));
        Assert.True(Samples.SampleProcessor.OpenProbeMsCm > 0.002);
    }

    [Fact]
    public void Salinity_is_monotonic_in_conductivity_everywhere_property()
    {
        var random = new Random(78);
        for (int i = 0; i < 20000; i++)
        {
            double t = -2 + (random.NextDouble() * 42);
            double p = random.NextDouble() * 100;
            double c1 = random.NextDouble() * 70;
            double c2 = c1 + (random.NextDouble() * 5) + 1e-9;
            double s1 = PracticalSalinity.FromConductivity(c1, t, p);
            double s2 = PracticalSalinity.FromConductivity(c2, t, p);
            Assert.True(s2 > s1, $"SP({c2}) = {s2} not above SP({c1}) = {s1} at t={t}, p={p}");
        }
    }

    [Fact]
    public void Inverse_recovers_the_conductivity()
    {
        foreach (double sp in new[] { 0.05, 0.5, 1.0, 1.99, 2.0, 2.01, 4.0, 10.0, 35.0 })
        {
            double c = PracticalSalinity.ToConductivity(sp, 28, 0);
            Assert.Equal(sp, PracticalSalinity.FromConductivity(c, 28, 0), 1e-9);
        }
    }

    [Theory]
    [InlineData(-1.0, 20.0)]
    [InlineData(double.NaN, 20.0)]
    [InlineData(10.0, double.PositiveInfinity)]
    public void Invalid_inputs_give_NaN_not_a_number_that_looks_real(double c, double t)
    {
        Assert.True(double.IsNaN(PracticalSalinity.FromConductivity(c, t, 0)));
    }
}
