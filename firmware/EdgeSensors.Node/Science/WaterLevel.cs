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
    /// Shortest pulse of an HRXL-MaxSonar-WR (300 µs = 300 mm, its minimum reported distance): a target at or inside
    /// 300 mm reads as 300 mm (MaxBotix HRXL-MaxSonar-WR datasheet, triggered operation timing).
    /// </summary>
    public const double MaxSonarMinimumSeconds = 300e-6;

    /// <summary>
    /// Longest pulse of a 5 m HRXL-MaxSonar-WR (MB7389: 5,000 µs = 5,000 mm, its maximum reported distance), which it
    /// also sends when no target is found. A pulse within 1 mm of it is treated as "no target".
    /// </summary>
    public const double MaxSonarNoTargetSeconds = 4999e-6;

    /// <summary>
    /// MaxSonar level: the pulse is 1 µs per millimetre of one-way distance, the speed of sound already compensated by
    /// the sensor's internal temperature sensor (HRXL-MaxSonar-WR datasheet, pin 2). Level = mount elevation − distance.
    /// </summary>
    public static double MaxSonar(double pulseSeconds, double mountElevationM)
    {
        if (!FloatMath.IsFinite(pulseSeconds) || pulseSeconds <= 0)
        {
            return double.NaN;
        }

        return mountElevationM - (pulseSeconds * 1000.0);
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
