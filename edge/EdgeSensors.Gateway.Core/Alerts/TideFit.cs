namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// A station's salinity explained by the tide: least squares on a mean, a linear trend and the cos/sin pair of each
/// constituent of <see cref="IntakeForecast.Tidal"/> the record can resolve (see <see cref="IntakeForecast"/> for the
/// method and why a week is needed). One fit serves the safe-intake windows and the predicted-crossing alerts, so the
/// page's "safe hours" and the alert that says "salt at 14:20" come from the same model.
/// Written here: no harmonic-analysis library is served for .NET; the fit is a small least-squares problem.
/// </summary>
public sealed class TideFit
{
    private readonly double[] _x;
    private readonly (string Name, double Omega)[] _used;
    private readonly long _t0;

    private TideFit(double[] x, (string Name, double Omega)[] used, long t0, double hours, double rms, double r2)
    {
        _x = x;
        _used = used;
        _t0 = t0;
        HoursOfData = hours;
        RmsPpt = rms;
        R2 = r2;
        Enough = true;
    }

    private TideFit(double hours, string vi, string en)
    {
        _x = [];
        _used = [];
        HoursOfData = hours;
        ReasonVi = vi;
        ReasonEn = en;
    }

    /// <summary>True when the record was long and continuous enough to fit.</summary>
    public bool Enough { get; }

    public string? ReasonVi { get; }

    public string? ReasonEn { get; }

    public double HoursOfData { get; }

    /// <summary>Standard deviation of the residuals, ‰.</summary>
    public double RmsPpt { get; }

    public double R2 { get; }

    /// <summary>Time of the last sample fitted (unix s).</summary>
    public long LastSampleTs => _t0;

    public IReadOnlyList<string> Constituents => _used.Select(u => u.Name).ToList();

    /// <summary>Fits the samples taken at or before <paramref name="now"/>.</summary>
    public static TideFit Fit(IReadOnlyList<(long Ts, double Ppt)> samples, long now)
    {
        var data = samples.Where(s => double.IsFinite(s.Ppt) && s.Ts <= now).OrderBy(s => s.Ts).ToList();
        double hours = data.Count < 2 ? 0 : (data[^1].Ts - data[0].Ts) / 3600.0;
        if (data.Count < IntakeForecast.MinSamples || hours < IntakeForecast.MinHours)
        {
            return new TideFit(hours,
                $"Chưa đủ số liệu để dự báo: cần {IntakeForecast.MinHours / 24:0} ngày đo liên tục, trạm mới có {hours / 24:0.#} ngày.",
                $"Not enough data to forecast yet: {IntakeForecast.MinHours / 24:0} days of readings are needed, the station has {hours / 24:0.#}.");
        }

        double longestGap = 0;
        for (int i = 1; i < data.Count; i++)
        {
            longestGap = Math.Max(longestGap, (data[i].Ts - data[i - 1].Ts) / 3600.0);
        }

        if (longestGap > 6)
        {
            return new TideFit(hours,
                $"Số liệu bị gián đoạn {longestGap:0} giờ trong những ngày qua: chưa dự báo được.",
                $"The readings have a {longestGap:0}-hour gap in the last days: no forecast yet.");
        }

        // Constituents the record can resolve.
        var used = new List<(string Name, double Omega)>();
        foreach ((string name, double period) in IntakeForecast.Tidal)
        {
            double f = 1 / period;
            if (used.All(u => Math.Abs((u.Omega / (2 * Math.PI)) - f) * hours >= IntakeForecast.RayleighFactor))
            {
                used.Add((name, 2 * Math.PI / period));
            }
        }

        long t0 = data[^1].Ts;
        int n = 2 + (2 * used.Count);
        var row = new double[n];

        // Normal equations AᵀA x = Aᵀy, solved by Gaussian elimination with partial pivoting.
        var ata = new double[n, n];
        var aty = new double[n];
        foreach ((long ts, double y) in data)
        {
            Row(row, ts, t0, used);
            for (int i = 0; i < n; i++)
            {
                aty[i] += row[i] * y;
                for (int j = 0; j < n; j++)
                {
                    ata[i, j] += row[i] * row[j];
                }
            }
        }

        double[]? x = Solve(ata, aty);
        if (x == null)
        {
            return new TideFit(hours, "Không tách được con nước từ số liệu này.", "The tide cannot be separated in these readings.");
        }

        var fit = new TideFit(x, [.. used], t0, hours, 0, 0);
        double mean = data.Average(d => d.Ppt), ssRes = 0, ssTot = 0;
        foreach ((long ts, double y) in data)
        {
            double e = y - fit.Eval(ts);
            ssRes += e * e;
            ssTot += (y - mean) * (y - mean);
        }

        double rms = Math.Sqrt(ssRes / Math.Max(1, data.Count - n));
        double r2 = ssTot <= 0 ? 0 : 1 - (ssRes / ssTot);
        return new TideFit(x, [.. used], t0, hours, rms, r2);
    }

    /// <summary>The fitted salinity at a time, ‰.</summary>
    public double Eval(long ts)
    {
        if (!Enough)
        {
            return double.NaN;
        }

        double h = (ts - _t0) / 3600.0;
        double v = _x[0] + (_x[1] * h / 24.0);
        for (int k = 0; k < _used.Length; k++)
        {
            v += (_x[2 + (2 * k)] * Math.Cos(_used[k].Omega * h)) + (_x[3 + (2 * k)] * Math.Sin(_used[k].Omega * h));
        }

        return v;
    }

    private static void Row(double[] r, long ts, long t0, List<(string Name, double Omega)> used)
    {
        double h = (ts - t0) / 3600.0;
        r[0] = 1;
        r[1] = h / 24.0;
        for (int k = 0; k < used.Count; k++)
        {
            r[2 + (2 * k)] = Math.Cos(used[k].Omega * h);
            r[3 + (2 * k)] = Math.Sin(used[k].Omega * h);
        }
    }

    private static double[]? Solve(double[,] a, double[] b)
    {
        int n = b.Length;
        var m = (double[,])a.Clone();
        var v = (double[])b.Clone();
        for (int c = 0; c < n; c++)
        {
            int p = c;
            for (int r = c + 1; r < n; r++)
            {
                if (Math.Abs(m[r, c]) > Math.Abs(m[p, c]))
                {
                    p = r;
                }
            }

            if (Math.Abs(m[p, c]) < 1e-9)
            {
                return null;
            }

            if (p != c)
            {
                for (int k = 0; k < n; k++)
                {
                    (m[c, k], m[p, k]) = (m[p, k], m[c, k]);
                }

                (v[c], v[p]) = (v[p], v[c]);
            }

            for (int r = c + 1; r < n; r++)
            {
                double f = m[r, c] / m[c, c];
                for (int k = c; k < n; k++)
                {
                    m[r, k] -= f * m[c, k];
                }

                v[r] -= f * v[c];
            }
        }

        var x = new double[n];
        for (int r = n - 1; r >= 0; r--)
        {
            double s = v[r];
            for (int k = r + 1; k < n; k++)
            {
                s -= m[r, k] * x[k];
            }

            x[r] = s / m[r, r];
        }

        return x;
    }
}
