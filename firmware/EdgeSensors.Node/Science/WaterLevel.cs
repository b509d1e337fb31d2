using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Science;

/// <summary>Water level conversions. Every level is in metres above the site's datum.</summary>
public static class WaterLevel
{
    /// <summary>
    /// Hydrostatic level: depth of water over the sensor is Δp / (ρ g), Δp = sensor pressure minus air pressure
    /// (absolute sensor) or the sensor pressure itself (gauge sensor); ρ from EOS-80 at the measured salinity and
    /// water temperature; g at the site's latitude. Level = sensor elevation above datum + depth.
    /// Pressures in hPa. Returns NaN when an input needed is missing.
    /// </summary>
    public static double Hydrostatic(
        double sensorPressureHpa,
        PressureReference reference,
        double airPressureHpa,
        double practicalSalinity,
        double waterTemperatureC,
        double gravity,
        double sensorElevationM)
    {
        double overPressureHpa = reference == PressureReference.Absolute ? sensorPressureHpa - airPressureHpa : sensorPressureHpa;
        // Fresh water at 28 °C if salinity is unknown is NOT substituted: a missing input gives no level.
        double rho = SeawaterDensity.AtSurface(practicalSalinity, waterTemperatureC);
        if (!FloatMath.IsFinite(overPressureHpa) || !FloatMath.IsFinite(rho) || !FloatMath.IsFinite(gravity) || gravity <= 0)
        {
            return double.NaN;
        }

        double depth = overPressureHpa * 100.0 / (rho * gravity);
        return sensorElevationM + depth;
    }

    /// <summary>
    /// Speed of sound in air, m/s, c = 331.3 √(1 + T/273.15) (ideal-gas law for dry air; humidity adds under 0.4 %
    /// at 30 °C, i.e. under 1 cm over a 3 m path).
    /// </summary>
    public static double SpeedOfSoundInAir(double airTemperatureC) =>
        331.3 * FloatMath.Sqrt(1.0 + (airTemperatureC / 273.15));

    /// <summary>
    /// Ultrasonic level: the sensor, mounted looking down at a known elevation above datum, times the echo.
    /// Distance = c · t / 2; level = mount elevation − distance.
    /// </summary>
    public static double Ultrasonic(double echoTimeSeconds, double airTemperatureC, double mountElevationM)
    {
        if (!FloatMath.IsFinite(echoTimeSeconds) || echoTimeSeconds <= 0 || !FloatMath.IsFinite(airTemperatureC))
        {
            return double.NaN;
        }

        double distance = SpeedOfSoundInAir(airTemperatureC) * echoTimeSeconds / 2.0;
        return mountElevationM - distance;
    }
}
