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
        TideFit fit = TideFit.Fit(samples, now);
        if (!fit.Enough)
        {
            return NotEnough(fit.HoursOfData, threshold, now, to, fit.ReasonVi!, fit.ReasonEn!);
        }

        double rms = fit.RmsPpt;
        string certainty = rms <= 0.1 * threshold ? "high" : rms <= 0.25 * threshold ? "medium" : "low";

        var windows = new List<IntakeWindow>();
        long? start = null;
        double peak = 0;
        for (long ts = now; ts <= to; ts += stepMinutes * 60L)
        {
            double p = fit.Eval(ts);
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

        return new IntakeForecastResult(true, null, null, Math.Round(fit.HoursOfData, 1), Math.Round(rms, 3), Math.Round(fit.R2, 3), certainty, threshold,
            fit.Constituents, windows, now, to);
    }

    private static IntakeForecastResult NotEnough(double hours, double threshold, long from, long to, string vi, string en) =>
        new(false, vi, en, Math.Round(hours, 1), 0, 0, "none", threshold, [], [], from, to);
}
