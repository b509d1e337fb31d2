using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Science;

/// <summary>
/// Practical Salinity from conductivity: PSS-78 (UNESCO 1983, Technical Paper 44; Lewis and Perkin 1981)
/// with the Hill et al. (1986) extension below SP = 2, scaled so that it equals PSS-78 exactly at SP = 2.
/// The algorithm and its coefficients follow TEOS-10's GSW toolbox (gsw_sp_from_c, gsw_hill_ratio_at_sp2,
/// GSW_SP_COEFFICIENTS). Conductivity in mS/cm, temperature in °C (ITS-90), sea pressure in dbar.
/// </summary>
public static class PracticalSalinity
{
    /// <summary>Conductivity of standard seawater at SP = 35, t68 = 15 °C, p = 0 (Culkin and Smith 1980), mS/cm.</summary>
    public const double C3515 = 42.9140;

    // PSS-78 coefficients (UNESCO 1983, Appendix; as in GSW_SP_COEFFICIENTS).
    private const double A0 = 0.0080, A1 = -0.1692, A2 = 25.3851, A3 = 14.0941, A4 = -7.0261, A5 = 2.7081;
    private const double B0 = 0.0005, B1 = -0.0056, B2 = -0.0066, B3 = -0.0375, B4 = 0.0636, B5 = -0.0144;
    private const double C0 = 0.6766097, C1 = 2.00564e-2, C2 = 1.104259e-4, C3 = -6.9698e-7, C4 = 1.0031e-9;
    private const double D1 = 3.426e-2, D2 = 4.464e-4, D3 = 4.215e-1, D4 = -3.107e-3;
    private const double E1 = 2.070e-5, E2 = -6.370e-10, E3 = 3.989e-15;
    private const double K = 0.0162;

    // Polynomial first guess of sqrt(Rt) at SP = 2 as a function of t68 (GSW gsw_hill_ratio_at_sp2).
    private const double G0 = 2.641463563366498e-1, G1 = 2.007883247811176e-4, G2 = -4.107694432853053e-6;
    private const double G3 = 8.401670882091225e-8, G4 = -1.711392021989210e-9, G5 = 3.374193893377380e-11;
    private const double G6 = -5.923731174730784e-13, G7 = 8.057771569962299e-15, G8 = -7.054313817447962e-17;
    private const double G9 = 2.859992717347235e-19;

    /// <summary>
    /// Practical salinity (unitless, ≈ g/kg ≈ ‰) from conductivity. Returns NaN for inputs outside the
    /// algorithm's domain (negative conductivity ratio, non-finite inputs); never a made-up value.
    /// </summary>
    public static double FromConductivity(double conductivityMsCm, double temperatureC, double pressureDbar)
    {
        if (!FloatMath.IsFinite(conductivityMsCm) || !FloatMath.IsFinite(temperatureC) || !FloatMath.IsFinite(pressureDbar)
            || conductivityMsCm < 0)
        {
            return double.NaN;
        }

        // PSS-78 is defined on IPTS-68; t68 = 1.00024 · t90 (Saunders 1990).
        double t68 = temperatureC * 1.00024;
        double ft68 = (t68 - 15) / (1 + (K * (t68 - 15)));
        double r = conductivityMsCm / C3515;
        double rtLc = C0 + ((C1 + ((C2 + ((C3 + (C4 * t68)) * t68)) * t68)) * t68);
        double rp = 1 + ((pressureDbar * (E1 + (E2 * pressureDbar) + (E3 * pressureDbar * pressureDbar)))
                         / (1 + (D1 * t68) + (D2 * t68 * t68) + ((D3 + (D4 * t68)) * r)));
        double rt = r / (rp * rtLc);
        if (rt < 0 || !FloatMath.IsFinite(rt))
        {
            return double.NaN;
        }

        double rtx = FloatMath.Sqrt(rt);
        double sp = Pss78(rtx, ft68);

        if (sp < 2)
        {
            // Hill et al. (1986), scaled by the Hill ratio so that both branches meet at SP = 2.
            double x = 400 * rt;
            double sqrty = 10 * rtx;
            double part1 = 1 + (x * (1.5 + x));
            double part2 = 1 + (sqrty * (1 + (sqrty * (1 + sqrty))));
            double spHillRaw = sp - (A0 / part1) - (B0 * ft68 / part2);
            sp = HillRatioAtSp2(temperatureC) * spHillRaw;
        }

        // GSW returns "invalid" for SP < 0. At C = 0 the two branches cancel exactly in real arithmetic and only
        // rounding (≈1e-19) can make the result negative: that noise is read as 0, anything more stays invalid.
        if (sp < 0 && sp > -1e-12)
        {
            sp = 0;
        }

        return sp < 0 ? double.NaN : sp;
    }

    /// <summary>
    /// Inverse of <see cref="FromConductivity"/>: the conductivity (mS/cm) at which the given practical salinity
    /// is measured. Solved by bisection on the monotonic forward function (the emulator uses it to derive what a
    /// probe would see, so that the forward conversion is what gets exercised).
    /// </summary>
    public static double ToConductivity(double practicalSalinity, double temperatureC, double pressureDbar)
    {
        if (!FloatMath.IsFinite(practicalSalinity) || practicalSalinity < 0 || practicalSalinity > 45)
        {
            return double.NaN;
        }

        double low = 0;
        double high = 100;
        for (int i = 0; i < 80; i++)
        {
            double mid = 0.5 * (low + high);
            double sp = FromConductivity(mid, temperatureC, pressureDbar);
            if (double.IsNaN(sp) || sp < practicalSalinity)
            {
                low = mid;
            }
            else
            {
                high = mid;
            }

            if (high - low < 1e-13)
            {
                break;
            }
        }

        return 0.5 * (low + high);
    }

    /// <summary>
    /// Ratio of 2 to the Hill et al. (1986) salinity at the conductivity ratio where PSS-78 gives exactly 2,
    /// at in-situ temperature t (ITS-90). One modified Newton–Raphson step from a polynomial first guess.
    /// </summary>
    public static double HillRatioAtSp2(double temperatureC)
    {
        const double sp2 = 2.0;
        double t68 = temperatureC * 1.00024;
        double ft68 = (t68 - 15) / (1 + (K * (t68 - 15)));
        double rtx0 = G0 + (t68 * (G1 + (t68 * (G2 + (t68 * (G3 + (t68 * (G4 + (t68 * (G5
                      + (t68 * (G6 + (t68 * (G7 + (t68 * (G8 + (t68 * G9)))))))))))))))));
        double dspDrtx = DSpDRtx(rtx0, ft68);
        double spEst = Pss78(rtx0, ft68);
        double rtx = rtx0 - ((spEst - sp2) / dspDrtx);
        double rtxm = 0.5 * (rtx + rtx0);
        dspDrtx = DSpDRtx(rtxm, ft68);
        rtx = rtx0 - ((spEst - sp2) / dspDrtx);

        double x = 400 * rtx * rtx;
        double sqrty = 10 * rtx;
        double part1 = 1 + (x * (1.5 + x));
        double part2 = 1 + (sqrty * (1 + (sqrty * (1 + sqrty))));
        double spHillRawAtSp2 = sp2 - (A0 / part1) - (B0 * ft68 / part2);
        return 2.0 / spHillRawAtSp2;
    }

    private static double Pss78(double rtx, double ft68) =>
        A0 + ((A1 + ((A2 + ((A3 + ((A4 + (A5 * rtx)) * rtx)) * rtx)) * rtx)) * rtx)
        + (ft68 * (B0 + ((B1 + ((B2 + ((B3 + ((B4 + (B5 * rtx)) * rtx)) * rtx)) * rtx)) * rtx)));

    private static double DSpDRtx(double rtx, double ft68) =>
        A1 + ((2 * A2 + ((3 * A3 + ((4 * A4 + (5 * A5 * rtx)) * rtx)) * rtx)) * rtx)
        + (ft68 * (B1 + ((2 * B2 + ((3 * B3 + ((4 * B4 + (5 * B5 * rtx)) * rtx)) * rtx)) * rtx)));
}
