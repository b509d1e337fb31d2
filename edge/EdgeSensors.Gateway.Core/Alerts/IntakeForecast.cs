namespace EdgeSensors.Gateway.Alerts;

/// <summary>A coming stretch of time when the water is expected to stay below the crop's threshold.</summary>
public sealed record IntakeWindow(long From, long To, double PeakPpt);

/// <summary>
/// The forecast for one station: whether there was enough data, how well the tide explains it (RMS of the residuals
/// and R²), how sure it is, and the safe-intake windows of the coming hours.
/// </summary>
public sealed record IntakeForecastResult(
    bool Enough, string? ReasonVi, string? ReasonEn, double HoursOfData, double RmsPpt, double R2, string Certainty,
    double ThresholdPpt, IReadOnlyList<string> Constituents, IReadOnlyList<IntakeWindow> Windows, long From, long To);

/// <summary>
/// "Giờ lấy nước an toàn" (issue 16): when, in the coming hours, salinity at a station is expected below a crop's
/// threshold. Salinity in the Mekong Delta's canals follows the tide (semi-diurnal M2 and S2, diurnal K1 and O1, and
/// the shallow-water overtides M4 and MS4 that the river's friction makes), so a harmonic fit to the station's own
/// last days predicts it: least squares on a mean, a linear trend (the season's drift) and the cos/sin pair of each
/// constituent the record can resolve — a pair is used only when the record is long enough to tell it from the
/// others already in (the Rayleigh criterion, T ≥ 1/|f₁ − f₂|: M2 and K1 after 26 h, O1 after 13.7 days, S2 after
/// 14.8 days). A window counts as safe only when the prediction plus 1.28 residual standard deviations (one-sided
/// 90 %) stays below the threshold, so an uncertain fit gives shorter windows, not false ones.
/// Written here: no harmonic-analysis library is served for .NET; the fit is a 14-unknown least-squares problem.
/// </summary>
public static class IntakeForecast
{
    /// <summary>Constituent name and period in hours (standard speeds), in the order they are tried.</summary>
    public static readonly (string Name, double PeriodHours)[] Tidal =
    [
        ("M2", 12.4206012), ("K1", 23.9344696), ("M4", 6.2103006), ("MK3", 8.1771399), ("O1", 25.8193417), ("S2", 12.0),
        ("MS4", 6.1033393), ("K2", 11.9672348), ("M6", 4.1402004),
    ];

    /// <summary>
    /// Fraction of the Rayleigh record length required to separate two constituents. 1 is the textbook criterion;
    /// 0.5 lets a week's record carry O1, S2 and K2 beside M2 and K1, which the emulator's truth showed to matter more
    /// than the fit's conditioning (7 days: overlap 3–64 % at 1.0, 79–87 % at 0.5; docs/alerts.md).
    /// </summary>
    public const double RayleighFactor = 0.5;

    /// <summary>A week: with less, the fit cannot tell the diurnal pair and the spring–neap cycle apart (4 days gave 8–14 % false-safe time against the emulator's truth).</summary>
    public const double MinHours = 7 * 24;
    public const int MinSamples = 24;
    public const double Z90 = 1.2816;

    public static IntakeForecastResult Predict(IReadOnlyList<(long Ts, double Ppt)> samples, long now, double threshold, int horizonHours = 24, int stepMinutes = 10)
    {
        long to = now + (horizonHours * 3600L);
        var data = samples.Where(s => double.IsFinite(s.Ppt) && s.Ts <= now).OrderBy(s => s.Ts).ToList();
        double hours = data.Count < 2 ? 0 : (data[^1].Ts - data[0].Ts) / 3600.0;
        if (data.Count < MinSamples || hours < MinHours)
        {
            return NotEnough(hours, threshold, now, to,
                $"Chưa đủ số liệu để dự báo: cần {MinHours / 24:0} ngày đo liên tục, trạm mới có {hours / 24:0.#} ngày.",
                $"Not enough data to forecast yet: {MinHours / 24:0} days of readings are needed, the station has {hours / 24:0.#}.");
        }

        double longestGap = 0;
        for (int i = 1; i < data.Count; i++)
        {
            longestGap = Math.Max(longestGap, (data[i].Ts - data[i - 1].Ts) / 3600.0);
        }

        if (longestGap > 6)
        {
            return NotEnough(hours, threshold, now, to,
                $"Số liệu bị gián đoạn {longestGap:0} giờ trong những ngày qua: chưa dự báo được.",
                $"The readings have a {longestGap:0}-hour gap in the last days: no forecast yet.");
        }

        // Constituents the record can resolve.
        var used = new List<(string Name, double Omega)>();
        foreach ((string name, double period) in Tidal)
        {
            double f = 1 / period;
            if (used.All(u => Math.Abs((u.Omega / (2 * Math.PI)) - f) * hours >= RayleighFactor))
            {
                used.Add((name, 2 * Math.PI / period));
            }
        }

        long t0 = data[^1].Ts;
        int n = 2 + (2 * used.Count);
        double[] Row(long ts)
        {
            double h = (ts - t0) / 3600.0;
            var r = new double[n];
            r[0] = 1;
            r[1] = h / 24.0;
            for (int k = 0; k < used.Count; k++)
            {
                r[2 + (2 * k)] = Math.Cos(used[k].Omega * h);
                r[3 + (2 * k)] = Math.Sin(used[k].Omega * h);
            }

            return r;
        }

        // Normal equations AᵀA x = Aᵀy, solved by Gaussian elimination with partial pivoting.
        var ata = new double[n, n];
        var aty = new double[n];
        foreach ((long ts, double y) in data)
        {
            double[] r = Row(ts);
            for (int i = 0; i < n; i++)
            {
                aty[i] += r[i] * y;
                for (int j = 0; j < n; j++)
                {
                    ata[i, j] += r[i] * r[j];
                }
            }
        }

        double[]? x = Solve(ata, aty);
        if (x == null)
        {
            return NotEnough(hours, threshold, now, to, "Không tách được con nước từ số liệu này.", "The tide cannot be separated in these readings.");
        }

        double Eval(long ts)
        {
            double[] r = Row(ts);
            double v = 0;
            for (int i = 0; i < n; i++)
            {
                v += r[i] * x[i];
            }

            return v;
        }

        double mean = data.Average(d => d.Ppt), ssRes = 0, ssTot = 0;
        foreach ((long ts, double y) in data)
        {
            double e = y - Eval(ts);
            ssRes += e * e;
            ssTot += (y - mean) * (y - mean);
        }

        double rms = Math.Sqrt(ssRes / Math.Max(1, data.Count - n));
        double r2 = ssTot <= 0 ? 0 : 1 - (ssRes / ssTot);
        string certainty = rms <= 0.1 * threshold ? "high" : rms <= 0.25 * threshold ? "medium" : "low";

        var windows = new List<IntakeWindow>();
        long? start = null;
        double peak = 0;
        for (long ts = now; ts <= to; ts += stepMinutes * 60L)
        {
            double p = Eval(ts);
            bool safe = p + (Z90 * rms) < threshold;
            if (safe)
            {
                start ??= ts;
                peak = Math.Max(peak, p);
            }

            if ((!safe || ts + (stepMinutes * 60L) > to) && start != null)
            {
                long end = safe ? ts : ts - (stepMinutes * 60L);
                if (end - start.Value >= 30 * 60)
                {
                    windows.Add(new IntakeWindow(start.Value, end, Math.Round(Math.Max(0, peak), 2)));
                }

                start = null;
                peak = 0;
            }
        }

        return new IntakeForecastResult(true, null, null, Math.Round(hours, 1), Math.Round(rms, 3), Math.Round(r2, 3), certainty, threshold,
            used.Select(u => u.Name).ToList(), windows, now, to);
    }

    private static IntakeForecastResult NotEnough(double hours, double threshold, long from, long to, string vi, string en) =>
        new(false, vi, en, Math.Round(hours, 1), 0, 0, "none", threshold, [], [], from, to);

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
