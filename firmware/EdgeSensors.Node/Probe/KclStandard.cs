namespace EdgeSensors.Node.Probe;

/// <summary>
/// Conductivity of the KCl calibration standards at the temperature they are used at. A standard is labelled with its
/// value at 25 °C (1413 µS/cm, 12.88 mS/cm); in a 22 °C office it conducts about 6 % less, in a 32 °C field about 13 %
/// more. A board that outputs conductivity at the water's temperature must be calibrated against the standard's value
/// at the measured temperature, not its label. Values: the temperature tables printed on the standards' labels
/// (0.01 mol/kg and 0.1 mol/kg KCl; e.g. 1278 µS/cm at 20 °C, 1548 µS/cm at 30 °C), linear between rows.
/// </summary>
public static class KclStandard
{
    private static readonly double[] TempsC = new double[] { 0, 5, 10, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31 };

    private static readonly double[] Low = new double[] { 0.776, 0.896, 1.020, 1.147, 1.173, 1.199, 1.225, 1.251, 1.278, 1.305, 1.332, 1.359, 1.386, 1.413, 1.440, 1.467, 1.494, 1.521, 1.548, 1.575 };

    private static readonly double[] High = new double[] { 7.150, 8.220, 9.330, 10.480, 10.720, 10.950, 11.190, 11.430, 11.670, 11.910, 12.150, 12.390, 12.640, 12.880, 13.130, 13.370, 13.620, 13.870, 14.120, 14.370 };

    /// <summary>Warmest temperature the tables are used at, °C (a little beyond the last row, linearly).</summary>
    public const double MaxTempC = 36.0;

    /// <summary>
    /// Conductivity (mS/cm) at <paramref name="tempC"/> of a standard labelled <paramref name="at25MsCm"/>; the nearest
    /// of the two tables, scaled to the label. NaN outside 0–36 °C.
    /// </summary>
    public static double AtTemperature(double at25MsCm, double tempC)
    {
        if (double.IsNaN(tempC) || tempC < 0 || tempC > MaxTempC || !(at25MsCm > 0))
        {
            return double.NaN;
        }

        double[] table = at25MsCm < 4.0 ? Low : High;
        double label = table[13];
        int i = 0;
        while (i < TempsC.Length - 2 && tempC > TempsC[i + 1])
        {
            i++;
        }

        double f = (tempC - TempsC[i]) / (TempsC[i + 1] - TempsC[i]);
        double value = table[i] + (f * (table[i + 1] - table[i]));
        return value * at25MsCm / label;
    }
}
