using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Filters;

/// <summary>
/// Robust average of a burst: values further than k · MAD (median absolute deviation, scaled by 1.4826 to
/// estimate σ for normal noise) from the median are rejected, the rest averaged. A floor on the spread keeps a
/// perfectly quiet burst from rejecting everything that differs in the last bit.
/// </summary>
public static class OutlierRejector
{
    /// <summary>Mean of the values that survive rejection; NaN when fewer than half the burst survives.</summary>
    public static double RobustMean(double[] values, double k, double minSpread, out int rejected)
    {
        rejected = 0;
        double median = MedianFilter.Median(values);
        if (double.IsNaN(median))
        {
            return double.NaN;
        }

        double[] deviations = new double[values.Length];
        for (int i = 0; i < values.Length; i++)
        {
            deviations[i] = FloatMath.Abs(values[i] - median);
        }

        double spread = FloatMath.Max(1.4826 * MedianFilter.Median(deviations), minSpread);
        double sum = 0;
        int kept = 0;
        int finite = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (!FloatMath.IsFinite(v))
            {
                continue;
            }

            finite++;
            if (FloatMath.Abs(v - median) <= k * spread)
            {
                sum += v;
                kept++;
            }
        }

        rejected = finite - kept;
        return kept * 2 < finite || kept == 0 ? double.NaN : sum / kept;
    }
}
