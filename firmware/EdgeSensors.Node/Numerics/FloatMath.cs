using System;

namespace EdgeSensors.Node.Numerics;

/// <summary>
/// Elementary functions for the measurement formulas.
/// Written by hand because nanoFramework's mscorlib has no System.Math (it lives in a separate
/// package that the device image may not carry) and this code must run unchanged on the ESP32 and on desktop .NET.
/// Accuracy target: within a few ulps of System.Math on desktop (tested in FloatMathTests).
/// </summary>
public static class FloatMath
{
    /// <summary>Natural logarithm of 2.</summary>
    public const double Ln2 = 0.69314718055994530942;

    /// <summary>π.</summary>
    public const double Pi = 3.14159265358979323846;

    /// <summary>Absolute value.</summary>
    public static double Abs(double x) => x < 0 ? -x : x;

    /// <summary>Larger of two values.</summary>
    public static double Max(double a, double b) => a > b ? a : b;

    /// <summary>Smaller of two values.</summary>
    public static double Min(double a, double b) => a < b ? a : b;

    /// <summary>True when x is neither NaN nor infinite.</summary>
    public static bool IsFinite(double x) => !double.IsNaN(x) && !double.IsInfinity(x);

    /// <summary>Largest integer not greater than x (for |x| below 2^62).</summary>
    public static double Floor(double x)
    {
        if (!IsFinite(x) || Abs(x) >= 4.0e18)
        {
            return x;
        }

        long truncated = (long)x;
        double t = truncated;
        return t > x ? t - 1 : t;
    }

    /// <summary>Nearest integer, halves away from zero.</summary>
    public static double Round(double x) => x < 0 ? -Floor(-x + 0.5) : Floor(x + 0.5);

    /// <summary>x × 2^n, by editing the exponent bits (n within the normal range).</summary>
    public static double ScaleByPowerOfTwo(double x, int n)
    {
        // Apply in steps so that intermediate exponents stay within the normal range.
        while (n > 1000)
        {
            x *= 8.98846567431158e307; // 2^1023
            n -= 1023;
        }

        while (n < -1000)
        {
            x *= 2.2250738585072014e-308; // 2^-1022
            n += 1022;
        }

        long bits = (long)(n + 1023) << 52;
        return x * BitConverter.Int64BitsToDouble(bits);
    }

    /// <summary>Square root: Newton–Raphson from an exponent-halved first guess, then one correction step.</summary>
    public static double Sqrt(double x)
    {
        if (double.IsNaN(x) || x < 0)
        {
            return double.NaN;
        }

        if (x == 0 || double.IsPositiveInfinity(x))
        {
            return x;
        }

        long bits = BitConverter.DoubleToInt64Bits(x);
        int exponent = (int)((bits >> 52) & 0x7FF);
        if (exponent == 0)
        {
            // Subnormal: scale into the normal range first.
            return Sqrt(x * 18014398509481984.0) / 134217728.0; // 2^54, 2^27
        }

        // Halving the biased exponent gives a guess within a factor of √2.
        long guessBits = ((bits >> 1) + (1023L << 51)) & 0x7FFFFFFFFFFFFFFFL;
        double y = BitConverter.Int64BitsToDouble(guessBits);
        for (int i = 0; i < 6; i++)
        {
            y = 0.5 * (y + (x / y));
        }

        // Final rounding correction: pick the neighbour whose square is closest to x.
        double residual = (y * y) - x;
        double correction = residual / (2 * y);
        return y - correction;
    }

    /// <summary>e^x.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x))
        {
            return x;
        }

        if (x > 709.78)
        {
            return double.PositiveInfinity;
        }

        if (x < -745.2)
        {
            return 0;
        }

        // x = k·ln2 + r with |r| ≤ ln2/2, then e^r by its Taylor series.
        double k = Round(x / Ln2);
        double r = x - (k * 0.6931471803691238) - (k * 1.9082149292705877e-10); // ln2 split for exactness
        double term = 1.0;
        double sum = 1.0;
        for (int n = 1; n < 30; n++)
        {
            term *= r / n;
            sum += term;
            if (Abs(term) < 1e-17 * Abs(sum))
            {
                break;
            }
        }

        return ScaleByPowerOfTwo(sum, (int)k);
    }

    /// <summary>Natural logarithm.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0)
        {
            return double.NaN;
        }

        if (x == 0)
        {
            return double.NegativeInfinity;
        }

        if (double.IsPositiveInfinity(x))
        {
            return x;
        }

        // x = m · 2^e with m in [√½, √2); ln m = 2·atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716.
        int e = 0;
        long bits = BitConverter.DoubleToInt64Bits(x);
        int biased = (int)((bits >> 52) & 0x7FF);
        if (biased == 0)
        {
            x *= 18014398509481984.0; // 2^54
            e -= 54;
            bits = BitConverter.DoubleToInt64Bits(x);
            biased = (int)((bits >> 52) & 0x7FF);
        }

        e += biased - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | (1023L << 52));
        if (m > 1.4142135623730951)
        {
            m *= 0.5;
            e++;
        }

        double s = (m - 1) / (m + 1);
        double s2 = s * s;
        double term = s;
        double sum = 0;
        for (int n = 1; n < 60; n += 2)
        {
            double add = term / n;
            sum += add;
            if (Abs(add) < 1e-18 * Abs(sum))
            {
                break;
            }

            term *= s2;
        }

        return (2 * sum) + (e * Ln2);
    }

    /// <summary>Base-10 logarithm.</summary>
    public static double Log10(double x) => Log(x) / 2.30258509299404568402;

    /// <summary>x^y. Integer exponents are computed exactly by repeated squaring; otherwise e^(y·ln x) for x &gt; 0.</summary>
    public static double Pow(double x, double y)
    {
        if (y == 0)
        {
            return 1;
        }

        if (Floor(y) == y && Abs(y) <= 1024)
        {
            long n = (long)Abs(y);
            double result = 1;
            double b = x;
            while (n > 0)
            {
                if ((n & 1) == 1)
                {
                    result *= b;
                }

                b *= b;
                n >>= 1;
            }

            return y < 0 ? 1 / result : result;
        }

        if (x < 0 || double.IsNaN(x))
        {
            return double.NaN;
        }

        if (x == 0)
        {
            return y > 0 ? 0 : double.PositiveInfinity;
        }

        return Exp(y * Log(x));
    }

    /// <summary>Sine, by reduction to [−π/4, π/4] and Taylor series.</summary>
    public static double Sin(double x) => SinCos(x, false);

    /// <summary>Cosine, by reduction to [−π/4, π/4] and Taylor series.</summary>
    public static double Cos(double x) => SinCos(x, true);

    /// <summary>Degrees to radians.</summary>
    public static double DegreesToRadians(double degrees) => degrees * (Pi / 180.0);

    private static double SinCos(double x, bool cosine)
    {
        if (!IsFinite(x))
        {
            return double.NaN;
        }

        double halfPi = Pi / 2;
        double q = Round(x / halfPi);
        double r = x - (q * 1.5707963267341256) - (q * 6.077100506506192e-11); // π/2 split
        long quadrant = ((long)q % 4 + 4) % 4;
        if (cosine)
        {
            quadrant = (quadrant + 1) % 4;
        }

        double value = quadrant switch
        {
            0 => SinSeries(r),
            1 => CosSeries(r),
            2 => -SinSeries(r),
            _ => -CosSeries(r),
        };
        return value;
    }

    private static double SinSeries(double r)
    {
        double r2 = r * r;
        double term = r;
        double sum = r;
        for (int n = 1; n < 15; n++)
        {
            term *= -r2 / ((2 * n) * ((2 * n) + 1));
            sum += term;
        }

        return sum;
    }

    private static double CosSeries(double r)
    {
        double r2 = r * r;
        double term = 1;
        double sum = 1;
        for (int n = 1; n < 15; n++)
        {
            term *= -r2 / (((2 * n) - 1) * (2 * n));
            sum += term;
        }

        return sum;
    }
}
