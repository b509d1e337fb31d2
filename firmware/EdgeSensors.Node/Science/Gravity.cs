using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Science;

/// <summary>
/// Local gravity at sea level from latitude, the International Formula used by UNESCO Technical Paper 44
/// (Fofonoff and Millard 1983, after Saunders and Fofonoff 1976): g = 9.780318 (1 + 5.2788e-3 sin²φ + 2.36e-5 sin⁴φ).
/// </summary>
public static class Gravity
{
    /// <summary>Latitude of Vị Thanh, Hậu Giang, in degrees north (approximate, for the default).</summary>
    public const double HauGiangLatitude = 9.78;

    /// <summary>Gravity in m/s² at the given latitude in degrees.</summary>
    public static double AtLatitude(double latitudeDegrees)
    {
        double s = FloatMath.Sin(FloatMath.DegreesToRadians(latitudeDegrees));
        double x = s * s;
        return 9.780318 * (1.0 + ((5.2788e-3 + (2.36e-5 * x)) * x));
    }
}
