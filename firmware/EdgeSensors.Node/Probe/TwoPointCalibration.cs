using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Probe;

/// <summary>
/// Two-point linear calibration of the conductivity probe against standard solutions, by default
/// 1.413 mS/cm and 12.88 mS/cm (KCl standards, values stated at 25 °C). The probe's uncalibrated EC25 reading
/// in each standard is recorded; the fit maps raw EC25 to true EC25: ec25 = gain · raw + offset.
/// The resulting gain and offset live in the node's config, which is persisted, so they survive reboots.
/// </summary>
public sealed class TwoPointCalibration
{
    /// <summary>Low standard, mS/cm at 25 °C.</summary>
    public const double LowStandardMsCm = 1.413;

    /// <summary>High standard, mS/cm at 25 °C.</summary>
    public const double HighStandardMsCm = 12.88;

    /// <summary>Creates a calibration from a gain and offset.</summary>
    public TwoPointCalibration(double gain, double offset)
    {
        Gain = gain;
        Offset = offset;
    }

    /// <summary>Multiplier applied to the raw reading.</summary>
    public double Gain { get; }

    /// <summary>Offset added after the gain, mS/cm.</summary>
    public double Offset { get; }

    /// <summary>The identity calibration (an uncalibrated probe).</summary>
    public static TwoPointCalibration Identity => new TwoPointCalibration(1.0, 0.0);

    /// <summary>
    /// Fits gain and offset from the raw readings taken in two standards. Returns null and a reason when the points
    /// cannot make a sane calibration (equal or reversed readings, gain outside 0.2–5, i.e. a probe that is
    /// dirty, dry or not in the solution).
    /// </summary>
    public static TwoPointCalibration? Fit(double rawLow, double standardLow, double rawHigh, double standardHigh, out string reason)
    {
        reason = string.Empty;
        if (!FloatMath.IsFinite(rawLow) || !FloatMath.IsFinite(rawHigh) || !FloatMath.IsFinite(standardLow) || !FloatMath.IsFinite(standardHigh))
        {
            reason = "calibration readings must be numbers";
            return null;
        }

        if (standardHigh <= standardLow)
        {
            reason = "the high standard must be above the low standard";
            return null;
        }

        if (rawHigh <= rawLow)
        {
            reason = "the probe read the high standard no higher than the low one: rinse it and check that it is immersed";
            return null;
        }

        double gain = (standardHigh - standardLow) / (rawHigh - rawLow);
        double offset = standardLow - (gain * rawLow);
        if (gain < 0.2 || gain > 5.0)
        {
            reason = "the fitted gain is outside 0.2–5: the probe is fouled, dry or wired wrong";
            return null;
        }

        return new TwoPointCalibration(gain, offset);
    }

    /// <summary>Calibrated EC25 from the probe's raw EC25.</summary>
    public double Apply(double rawEc25) => (Gain * rawEc25) + Offset;
}
