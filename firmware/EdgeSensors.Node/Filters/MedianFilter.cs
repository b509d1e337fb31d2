namespace EdgeSensors.Node.Filters;

/// <summary>Median of a burst of N readings (NaNs ignored). Insertion sort: N is small (≤ 32) on the device.</summary>
public static class MedianFilter
{
    /// <summary>Median of the finite values, or NaN when there are none.</summary>
    public static double Median(double[] values)
    {
        double[] sorted = SortedFinite(values, out int n);
        if (n == 0)
        {
            return double.NaN;
        }

        return (n % 2) == 1 ? sorted[n / 2] : 0.5 * (sorted[(n / 2) - 1] + sorted[n / 2]);
    }

    /// <summary>The finite values, sorted ascending, in the first <paramref name="count"/> slots.</summary>
    public static double[] SortedFinite(double[] values, out int count)
    {
        double[] buffer = new double[values.Length];
        count = 0;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            if (double.IsNaN(v) || double.IsInfinity(v))
            {
                continue;
            }

            int j = count - 1;
            while (j >= 0 && buffer[j] > v)
            {
                buffer[j + 1] = buffer[j];
                j--;
            }

            buffer[j + 1] = v;
            count++;
        }

        return buffer;
    }
}
