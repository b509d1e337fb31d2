using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Science;

/// <summary>
/// Density of seawater, UNESCO EOS-80 one-atmosphere equation (Millero and Poisson 1981; UNESCO Technical
/// Paper 44, Fofonoff and Millard 1983). Temperature enters on IPTS-68.
/// The pressure term (secant bulk modulus) is left out on purpose: a level sensor sits under at most a few
/// metres of water, where compressibility changes density by less than 5e-5 relative (under 0.5 mm of a 10 m
/// column), far below the transducer's own error.
/// </summary>
public static class SeawaterDensity
{
    /// <summary>Density in kg/m³ at atmospheric pressure. Temperature on ITS-90 (converted to IPTS-68 inside).</summary>
    public static double AtSurface(double practicalSalinity, double temperatureIts90C) =>
        AtSurfaceIpts68(practicalSalinity, temperatureIts90C * 1.00024);

    /// <summary>Density in kg/m³ at atmospheric pressure with the temperature already on IPTS-68 (as UNESCO's check table).</summary>
    public static double AtSurfaceIpts68(double s, double t)
    {
        if (!FloatMath.IsFinite(s) || !FloatMath.IsFinite(t) || s < 0)
        {
            return double.NaN;
        }

        // Pure water, Bigg (1967) as used by EOS-80.
        double rhoW = 999.842594 + (t * (6.793952e-2 + (t * (-9.095290e-3 + (t * (1.001685e-4
                      + (t * (-1.120083e-6 + (t * 6.536332e-9)))))))));
        double a = 8.24493e-1 + (t * (-4.0899e-3 + (t * (7.6438e-5 + (t * (-8.2467e-7 + (t * 5.3875e-9)))))));
        double b = -5.72466e-3 + (t * (1.0227e-4 + (t * -1.6546e-6)));
        const double c = 4.8314e-4;
        return rhoW + (a * s) + (b * s * FloatMath.Sqrt(s)) + (c * s * s);
    }
}
