using EdgeSensors.Emulator.Site;
using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Emulator.Tests;

/// <summary>
/// Issue 16: the safe-intake forecast checked against the emulator's known truth. A station's readings (every
/// 15 min, with the probe's noise) over the last days go into the forecast; the true salinity of the next 24 h
/// comes from the site model. Compared in 10-minute steps: the overlap of predicted and true safe time
/// (|P ∩ T| / |P ∪ T|), and the share of predicted-safe time that was in truth over the threshold (the error that
/// costs a crop). Figures stated here and in docs/alerts.md.
/// </summary>
public sealed class IntakeForecastTests(ITestOutputHelper output)
{
    [Theory]
    // Measured (2026-12-02, seed 16, 8 days each): dry-typical/rice below 0.6 ‰ — 7 days 78.9 % overlap, 1.3 %
    // false-safe; 10 days 69.6 %, 0 %; 14 days 63.8 %, 0 %. dry-2020/mango below 3 ‰ — 7 days 87.3 %, 0 %;
    // 14 days 83.4 %, 0 %. The bounds leave room for noise, not for a worse forecast.
    [InlineData("dry-typical", "rice_tillering", 7, 0.70, 0.03)]
    [InlineData("dry-typical", "rice_tillering", 10, 0.60, 0.03)]
    [InlineData("dry-typical", "rice_tillering", 14, 0.55, 0.03)]
    [InlineData("dry-2020", "mango", 7, 0.80, 0.03)]
    [InlineData("dry-2020", "mango", 14, 0.75, 0.03)]
    public void Predicted_safe_intake_windows_overlap_the_true_ones(string scenarioName, string crop, int days, double minOverlap, double maxFalseSafe)
    {
        Scenario scenario = Scenario.Find(scenarioName);
        var site = new SiteModel(scenario);
        var node = new NodePlacement("hg-forecast-1", 9.78, 105.47, "Vị Thanh", 1.0, -1.6);
        double threshold = CropProfiles.Find(CropProfiles.Defaults, crop)!.Watch;
        var random = new Random(16);
        double overlapSum = 0, falseSafeSum = 0;
        int runs = 0;
        for (int k = 0; k < 8; k++)
        {
            DateTime now = scenario.DefaultStart.AddDays(days + (k * 1.2)).AddHours(k * 5);
            var samples = new List<(long, double)>();
            for (DateTime t = now.AddDays(-days); t <= now; t = t.AddMinutes(15))
            {
                // The probe: ±0.03 ‰ noise (Gaussian), reported to 0.01 ‰.
                double noise = 0.03 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                samples.Add((new DateTimeOffset(t).ToUnixTimeSeconds(), Math.Round(Math.Max(0, site.Salinity(t, node) + noise), 2)));
            }

            long nowTs = new DateTimeOffset(now).ToUnixTimeSeconds();
            IntakeForecastResult f = IntakeForecast.Predict(samples, nowTs, threshold);
            Assert.True(f.Enough, f.ReasonEn);
            int predicted = 0, truth = 0, both = 0, falseSafe = 0;
            for (long ts = nowTs; ts < nowTs + (24 * 3600); ts += 600)
            {
                bool p = f.Windows.Any(w => ts >= w.From && ts <= w.To);
                bool tr = site.Salinity(DateTimeOffset.FromUnixTimeSeconds(ts).UtcDateTime, node) < threshold;
                predicted += p ? 1 : 0;
                truth += tr ? 1 : 0;
                both += p && tr ? 1 : 0;
                falseSafe += p && !tr ? 1 : 0;
            }

            int union = predicted + truth - both;
            if (union == 0)
            {
                continue; // a day with no safe time at all, predicted and true alike
            }

            double overlap = (double)both / union, fs = predicted == 0 ? 0 : (double)falseSafe / predicted;
            output.WriteLine($"{now:yyyy-MM-dd HH:mm}: {f.Constituents.Count} constituents ({string.Join(",", f.Constituents)}), RMS {f.RmsPpt:F3} ‰, R² {f.R2:F3}, {f.Certainty}; safe predicted {predicted * 10} min, true {truth * 10} min, overlap {overlap:P0}, false-safe {fs:P1}");
            overlapSum += overlap;
            falseSafeSum += fs;
            runs++;
        }

        Assert.True(runs >= 4, $"only {runs} of 8 days had any safe time: the case tests little");
        double meanOverlap = overlapSum / runs, meanFalseSafe = falseSafeSum / runs;
        output.WriteLine($"{scenarioName}, {crop} (below {threshold} ‰), {days} days of data: mean overlap {meanOverlap:P1}, mean false-safe {meanFalseSafe:P1} over {runs} days");
        Assert.True(meanOverlap >= minOverlap, $"mean overlap {meanOverlap:P1} < {minOverlap:P0}");
        Assert.True(meanFalseSafe <= maxFalseSafe, $"mean false-safe share {meanFalseSafe:P1} > {maxFalseSafe:P0}");
    }

    [Fact]
    public void With_less_than_a_week_of_data_it_says_plainly_that_there_is_not_enough()
    {
        // Four days every 15 minutes: a forecast from this had 8–14 % false-safe time, so none is given.
        var samples = Enumerable.Range(0, 4 * 96).Select(i => (1_764_000_000L + (i * 900L), 0.8 + (0.5 * Math.Sin(i / 8.0)))).ToList();
        IntakeForecastResult f = IntakeForecast.Predict(samples, 1_764_000_000L + (4 * 96 * 900L), 1.0);
        Assert.False(f.Enough);
        Assert.Empty(f.Windows);
        Assert.Contains("Chưa đủ số liệu để dự báo: cần 7 ngày", f.ReasonVi, StringComparison.Ordinal);
        Assert.Contains("4 ngày", f.ReasonVi, StringComparison.Ordinal);
    }
}
