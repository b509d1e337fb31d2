using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Filters;

/// <summary>Classifies raw ADC bursts and successive values into <see cref="SensorFault"/>s.</summary>
public static class SensorFaultDetector
{
    /// <summary>
    /// Rail-stuck check on a burst of ADC counts: all samples within <paramref name="railMargin"/> counts of 0 or of
    /// full scale means the input is shorted, open or over-range, whatever the value would convert to.
    /// </summary>
    public static SensorFault ClassifyAdcBurst(int[] counts, int fullScale, int railMargin)
    {
        if (counts.Length == 0)
        {
            return SensorFault.NoResponse;
        }

        bool allLow = true;
        bool allHigh = true;
        for (int i = 0; i < counts.Length; i++)
        {
            if (counts[i] < 0)
            {
                // The converter did not answer (a negative count is the input's "no conversion").
                return SensorFault.NoResponse;
            }

            if (counts[i] > railMargin)
            {
                allLow = false;
            }

            if (counts[i] < fullScale - railMargin)
            {
                allHigh = false;
            }
        }

        return allLow ? SensorFault.AdcRailLow : allHigh ? SensorFault.AdcRailHigh : SensorFault.None;
    }

    /// <summary>
    /// Jump check against the last accepted value: a change larger than <paramref name="maxRatePerSecond"/> times the
    /// elapsed seconds (plus an allowance for noise) is implausible. The first value (previous NaN) always passes.
    /// </summary>
    public static bool IsImplausibleJump(double previous, double current, double elapsedSeconds, double maxRatePerSecond, double noiseAllowance)
    {
        if (double.IsNaN(previous) || !FloatMath.IsFinite(current))
        {
            return false;
        }

        double allowed = (maxRatePerSecond * FloatMath.Max(elapsedSeconds, 0)) + noiseAllowance;
        return FloatMath.Abs(current - previous) > allowed;
    }
}
