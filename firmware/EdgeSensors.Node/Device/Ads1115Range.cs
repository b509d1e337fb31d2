namespace EdgeSensors.Node.Device;

/// <summary>
/// The ADS1115's programmable-gain ranges (datasheet, config register PGA[2:0]; same order and values as the
/// binding's MeasuringRange): index 0 = ±6.144 V … 5 = ±0.256 V. A 16-bit code spans −32768…32767 over ±FS.
/// </summary>
public static class Ads1115Range
{
    /// <summary>Largest positive code.</summary>
    public const int MaxCode = 32767;

    /// <summary>Full-scale volts of each range index.</summary>
    public static readonly double[] FullScaleVolts = new double[] { 6.144, 4.096, 2.048, 1.024, 0.512, 0.256 };

    /// <summary>Narrowest range index.</summary>
    public const int Narrowest = 5;

    /// <summary>Volts per code at a range.</summary>
    public static double LsbVolts(int range) => FullScaleVolts[range] / 32768.0;

    /// <summary>
    /// The highest code an input can reach at <paramref name="range"/> on a converter fed from
    /// <paramref name="supplyVolts"/>: nothing above the supply is coded, so a range wider than the supply tops out at
    /// the supply's code (±4.096 V on 3.3 V: about 26,400).
    /// </summary>
    public static int HighestCode(int range, double supplyVolts)
    {
        double fs = FullScaleVolts[range];
        return supplyVolts >= fs ? MaxCode : (int)(supplyVolts / fs * (MaxCode + 1));
    }

    /// <summary>
    /// The narrowest range whose full scale holds <paramref name="volts"/> with 10 % headroom (so noise within a burst
    /// does not saturate it), never wider than <paramref name="widest"/>.
    /// </summary>
    public static int Fit(double volts, int widest)
    {
        double v = volts < 0 ? -volts : volts;
        for (int r = Narrowest; r > widest; r--)
        {
            if (v < FullScaleVolts[r] * 0.9)
            {
                return r;
            }
        }

        return widest;
    }
}
