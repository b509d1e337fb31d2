using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Gateway.Tests.Alerts;

public class AlertEvaluatorTests
{
    private static AlertEvaluator Engine(Action<AlertOptions>? configure = null)
    {
        var o = new AlertOptions { DefaultProfile = "rice_tillering", MinConsecutiveReadings = 2, HysteresisPpt = 0.2 };
        configure?.Invoke(o);
        return new AlertEvaluator(o);
    }

    /// <summary>Feeds a series (one reading every 5 minutes) and returns the salinity transitions.</summary>
    private static List<AlertTransition> Feed(AlertEvaluator e, params double[] salinity)
    {
        var all = new List<AlertTransition>();
        for (int i = 0; i < salinity.Length; i++)
        {
            all.AddRange(e.OnReading("n1", 1_000_000 + (i * 300), salinity[i], null).Where(t => t.Kind == AlertKind.Salinity));
        }

        return all;
    }

    [Fact]
    public void Crossing_the_rice_thresholds_raises_watch_warning_and_danger_in_turn()
    {
        var e = Engine();
        List<AlertTransition> t = Feed(e, 0.5, 0.7, 0.7, 1.1, 1.2, 1.6, 1.7);
        Assert.Equal([AlertLevel.Watch, AlertLevel.Warning, AlertLevel.Danger], t.Select(x => x.To));
        Assert.Equal(AlertLevel.Danger, e.Level("n1", AlertKind.Salinity));
        Assert.Equal(1.5, t[^1].Threshold);
        Assert.Equal("rice_tillering", t[^1].ProfileId);
    }

    [Fact]
    public void One_noisy_reading_over_the_threshold_does_not_raise()
    {
        Assert.Empty(Feed(Engine(), 0.5, 1.6, 0.5, 0.5, 1.4, 0.5));
    }

    [Fact]
    public void Noise_around_a_threshold_does_not_flap()
    {
        var e = Engine();
        var random = new Random(3);
        double[] series = Enumerable.Range(0, 500).Select(_ => 1.0 + ((random.NextDouble() - 0.5) * 0.3)).ToArray(); // 0.85–1.15 around warning 1.0
        List<AlertTransition> t = Feed(e, [0.5, 1.3, 1.3, .. series]);
        // Raised once to warning; never cleared or re-raised while the noise stays within the hysteresis band.
        Assert.Equal(AlertLevel.Warning, t[0].To);
        Assert.Single(t);
    }

    [Fact]
    public void Clearing_a_watch_needs_the_value_below_threshold_minus_hysteresis_for_consecutive_readings()
    {
        var e = Engine();
        List<AlertTransition> t = Feed(e, 0.7, 0.7, 0.5, 0.5, 0.3, 0.3);
        // Watch 0.6 is left below 0.6 - min(0.2, 0.6 / 4) = 0.45: 0.5 stays watch, two readings of 0.3 clear it.
        Assert.Equal([AlertLevel.Watch, AlertLevel.None], t.Select(x => x.To));
    }

    [Fact]
    public void After_a_warning_the_sluice_may_reopen_only_when_the_water_has_stayed_below_the_reopen_level_for_the_hold()
    {
        var e = Engine();
        CropProfile rice = e.ProfileFor("n1");
        Assert.Equal((0.6, 60), (rice.ReopenBelow, rice.ReopenHoldMinutes));

        // Warning, then 0.9 ‰ for two hours: under the warning level but not fresh enough to reopen.
        List<AlertTransition> t = Feed(e, [1.2, 1.2, .. Enumerable.Repeat(0.9, 24), .. Enumerable.Repeat(0.5, 12)]);
        Assert.Equal([AlertLevel.Warning], t.Select(x => x.To));
        // Twelve readings of 0.5 ‰ cover 55 minutes; the thirteenth completes the hour and lowers to watch.
        t = Feed(Engine(), [1.2, 1.2, .. Enumerable.Repeat(0.9, 24), .. Enumerable.Repeat(0.5, 13)]);
        Assert.Equal([AlertLevel.Warning, AlertLevel.Watch], t.Select(x => x.To));
        (string vi, string en) = AlertMessages.For(t[^1], rice);
        Assert.Equal("Nước đã ngọt lại: 0,5‰, dưới 0,6‰ suốt 60 phút, có thể mở cống lấy nước, vẫn theo dõi", vi);
        Assert.Equal("Fresh again: 0.5‰, below 0.6‰ for 60 min: the sluice may be opened again; keep watching", en);
    }

    [Fact]
    public void A_fresh_spell_broken_by_a_salty_tide_starts_the_reopen_hold_again()
    {
        var e = Engine();
        // Fresh for 50 minutes, one flood-tide reading over the reopen level, then fresh again for 50 minutes: no reopening.
        List<AlertTransition> t = Feed(e, [1.2, 1.2, .. Enumerable.Repeat(0.4, 11), 0.8, .. Enumerable.Repeat(0.4, 11)]);
        Assert.Equal([AlertLevel.Warning], t.Select(x => x.To));
    }

    [Fact]
    public void Shrimp_rice_fields_are_told_to_flush_and_sow_after_a_day_below_one_ppt()
    {
        var e = Engine(o => o.NodeProfiles["n1"] = "rice_shrimp");
        CropProfile p = e.ProfileFor("n1");
        // A dry season on brackish water (warning at 2 ‰), then the rains: 1.5 ‰ (still too salty to sow into), then 0.7 ‰.
        double[] series = [2.5, 2.5, .. Enumerable.Repeat(1.5, 100), .. Enumerable.Repeat(0.7, 24 * 12)];
        List<AlertTransition> t = Feed(e, series);
        Assert.Equal([AlertLevel.Warning], t.Select(x => x.To));
        t = Feed(Engine(o => o.NodeProfiles["n1"] = "rice_shrimp"), [.. series, 0.7]);
        Assert.Equal([AlertLevel.Warning, AlertLevel.None], t.Select(x => x.To));
        (string vi, _) = AlertMessages.For(t[^1], p);
        Assert.Equal("Nước đã ngọt lại: 0,7‰, dưới 1,0‰ suốt 24 giờ, có thể lấy nước rửa mặn và chuẩn bị gieo sạ", vi);
    }

    [Fact]
    public void A_profile_whose_reopen_level_is_above_its_warning_is_refused()
    {
        var ex = Assert.Throws<ArgumentException>(() => Engine(o => o.Profiles.Add(new CropProfileOptions { Id = "x", NameVi = "x", Watch = 1, Warning = 2, Danger = 3, ReopenBelow = 2.5 })));
        Assert.Contains("reopen_below", ex.Message, StringComparison.Ordinal);
        ex = Assert.Throws<ArgumentException>(() => Engine(o => o.Profiles.Add(new CropProfileOptions { Id = "y", NameVi = "y", Watch = 2, Warning = 2, Danger = 3 })));
        Assert.Contains("watch < warning < danger", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Salinity_climbing_with_the_flood_raises_rising_fast()
    {
        var e = Engine();
        var changes = new List<AlertTransition>();
        // 1.0 → 2.0 ‰ in an hour: 1 ‰/h, above the 0.5 ‰/h default.
        for (int i = 0; i <= 12; i++)
        {
            changes.AddRange(e.OnReading("n1", 1_000_000 + (i * 300), 1.0 + (i / 12.0), null));
        }

        // 1 ‰/h is exactly twice the limit from the first half hour on: straight to warning.
        List<AlertTransition> rising = changes.Where(c => c.Kind == AlertKind.SalinityRising).ToList();
        Assert.Equal([AlertLevel.Warning], rising.Select(r => r.To));
        Assert.InRange(rising[0].Value, 0.9, 1.1);

        // Steady afterwards: the rise alert clears.
        for (int i = 13; i <= 40; i++)
        {
            changes.AddRange(e.OnReading("n1", 1_000_000 + (i * 300), 2.0, null));
        }

        Assert.Contains(changes, c => c.Kind == AlertKind.SalinityRising && c.To == AlertLevel.None);
    }

    [Fact]
    public void Fresh_water_rising_is_not_a_rising_fast_alert()
    {
        var e = Engine();
        var changes = new List<AlertTransition>();
        for (int i = 0; i <= 6; i++)
        {
            changes.AddRange(e.OnReading("n1", 1_000_000 + (i * 300), 0.02 + (i * 0.045), null)); // 0.02 → 0.29 in 30 min, under watch/2
        }

        Assert.DoesNotContain(changes, c => c.Kind == AlertKind.SalinityRising);
    }

    [Fact]
    public void A_node_quiet_past_three_intervals_is_stale_until_it_reports()
    {
        var e = Engine();
        e.OnStatus("n1", 1000, [], 60);
        e.OnReading("n1", 1000, 0.5, null);
        Assert.Empty(e.OnTick(1000 + 170));
        AlertTransition stale = Assert.Single(e.OnTick(1000 + 181));
        Assert.Equal(AlertKind.Stale, stale.Kind);
        Assert.Empty(e.OnTick(1000 + 500)); // raised once
        Assert.Contains(e.OnReading("n1", 1600, 0.5, null), c => c.Kind == AlertKind.Stale && c.To == AlertLevel.None);
    }

    [Fact]
    public void A_registered_node_that_never_reports_goes_stale_on_the_default_interval()
    {
        var e = Engine(o => o.DefaultIntervalSeconds = 100);
        e.Watch("silent", 0);
        Assert.Empty(e.OnTick(299));
        Assert.Single(e.OnTick(301));
    }

    [Fact]
    public void Sensor_faults_in_status_raise_and_clear_a_fault_alert()
    {
        var e = Engine();
        AlertTransition raised = Assert.Single(e.OnStatus("n1", 10, ["ec_ms_cm:open_probe"], null));
        Assert.Equal((AlertKind.SensorFault, AlertLevel.Watch), (raised.Kind, raised.To));
        Assert.Contains("open_probe", raised.Detail, StringComparison.Ordinal);
        Assert.Empty(e.OnStatus("n1", 20, ["ec_ms_cm:open_probe"], null));
        Assert.Equal(AlertLevel.None, Assert.Single(e.OnStatus("n1", 30, [], null)).To);
    }

    [Fact]
    public void Water_level_alerts_use_the_same_machinery()
    {
        var e = Engine(o => { o.LevelHighM = 1.2; o.LevelLowM = -0.8; });
        var changes = new List<AlertTransition>();
        double[] levels = [0.5, 1.25, 1.3, 1.18, 1.1, 1.1, -0.9, -0.95];
        for (int i = 0; i < levels.Length; i++)
        {
            changes.AddRange(e.OnReading("n1", i * 300, null, levels[i]));
        }

        Assert.Equal(
            [(AlertKind.LevelHigh, AlertLevel.Warning), (AlertKind.LevelHigh, AlertLevel.None), (AlertKind.LevelLow, AlertLevel.Watch)],
            changes.Select(c => (c.Kind, c.To)));
    }

    [Fact]
    public void Profiles_apply_per_node_and_per_zone()
    {
        var e = Engine(o =>
        {
            o.NodeProfiles["orchard-1"] = "durian";
            o.Zones["coast"] = ["c1", "c2"];
            o.NodeProfiles["coast"] = "coconut";
        });
        Assert.Equal("durian", e.ProfileFor("orchard-1").Id);
        Assert.Equal("coconut", e.ProfileFor("c2").Id);
        Assert.Equal("rice_tillering", e.ProfileFor("other").Id);
        // 0.7 ‰ is a warning for durian (water must stay below 0.5 ‰) but nothing for coconut.
        for (int i = 0; i < 3; i++)
        {
            e.OnReading("orchard-1", i, 0.7, null);
            e.OnReading("c1", i, 0.7, null);
        }

        Assert.Equal(AlertLevel.Warning, e.Level("orchard-1", AlertKind.Salinity));
        Assert.Equal(AlertLevel.None, e.Level("c1", AlertKind.Salinity));
    }

    [Fact]
    public void Every_default_profile_has_ordered_thresholds_and_a_named_source()
    {
        Assert.All(CropProfiles.Defaults, p =>
        {
            Assert.True(p.Watch < p.Warning && p.Warning < p.Danger, p.Id);
            Assert.Null(p.Problem());
            Assert.False(string.IsNullOrWhiteSpace(p.Source), p.Id);
            Assert.False(string.IsNullOrWhiteSpace(p.NameVi), p.Id);
        });
        Assert.Equal(1.0, CropProfiles.Find(CropProfiles.Defaults, "rice_tillering")!.Warning);
        Assert.Equal(1.5, CropProfiles.Find(CropProfiles.Defaults, "rice_flowering")!.Danger);
        Assert.Equal(0.5, CropProfiles.Find(CropProfiles.Defaults, "durian")!.Warning);
        Assert.Equal(0.5, CropProfiles.Find(CropProfiles.Defaults, "pomelo")!.Warning);
        Assert.Equal(1.2, CropProfiles.Find(CropProfiles.Defaults, "sugarcane")!.Danger);
        Assert.Equal(10.0, CropProfiles.Find(CropProfiles.Defaults, "coconut")!.Danger);
        Assert.Equal(4.0, CropProfiles.Find(CropProfiles.Defaults, "pigs")!.Warning);
    }

    [Fact]
    public void Messages_are_Vietnamese_first_with_a_decimal_comma()
    {
        var t = new AlertTransition("n1", AlertKind.Salinity, AlertLevel.None, AlertLevel.Warning, 2.4, 2.0, 0, "rice_tillering");
        (string vi, string en) = AlertMessages.For(t, CropProfiles.Find(CropProfiles.Defaults, "rice_tillering"));
        Assert.Equal("Nước mặn 2,4‰, không lấy nước vào ruộng lúa", vi);
        Assert.Equal("Salinity 2.4‰: do not let water into rice fields", en);
    }

    [Fact]
    public void A_hot_enclosure_raises_its_own_alert_with_two_degrees_of_hysteresis()
    {
        var e = Engine();
        var changes = new List<AlertTransition>();
        double[] air = [35, 41, 41, 46, 46, 44, 44, 61, 61, 42.5, 42.5, 37.9, 37.9];
        for (int i = 0; i < air.Length; i++)
        {
            changes.AddRange(e.OnEnclosure("hg-gateway", i * 60, air[i]));
        }

        // 44 °C is inside the 2 °C band under warning (45): it stays warning; 42.5 leaves danger and warning but not watch (40 − 2).
        Assert.Equal([AlertLevel.Watch, AlertLevel.Warning, AlertLevel.Danger, AlertLevel.Watch, AlertLevel.None], changes.Select(c => c.To));
        Assert.All(changes, c => Assert.Equal(AlertKind.EnclosureTemperature, c.Kind));
        (string vi, string en) = AlertMessages.For(changes[1], null);
        Assert.Equal("Tủ thiết bị nóng 46 °C: pin dự phòng ngừng sạc, che nắng và thông gió cho tủ", vi);
        Assert.StartsWith("Equipment box at 46 °C", en, StringComparison.Ordinal);
        Assert.Equal("enclosure_temp", AlertKinds.WireName(AlertKind.EnclosureTemperature));
    }

    [Fact]
    public void The_running_slope_equals_the_least_squares_slope_over_the_window_for_a_year_of_readings()
    {
        var random = new Random(7);
        var slope = new RunningSlope(3600);
        var window = new List<(long Ts, double V)>();
        long ts = 1_764_028_800;
        for (int i = 0; i < 40_000; i++)
        {
            ts += random.Next(1, 1800); // irregular intervals, a year and more in all
            double v = (5 * Math.Sin(i / 50.0)) + random.NextDouble();
            slope.Add(ts, v);
            window.Add((ts, v));
            window.RemoveAll(p => p.Ts < ts - 3600);
            if (i % 97 == 0)
            {
                Assert.Equal(Naive(window), slope.PerHour(), 6);
                Assert.Equal(window.Count, slope.Count);
            }
        }

        static double Naive(List<(long Ts, double V)> p)
        {
            if (p.Count < 2)
            {
                return 0;
            }

            double mt = p.Average(x => (x.Ts - p[0].Ts) / 3600.0), mv = p.Average(x => x.V);
            double num = p.Sum(x => (((x.Ts - p[0].Ts) / 3600.0) - mt) * (x.V - mv));
            double den = p.Sum(x => Math.Pow(((x.Ts - p[0].Ts) / 3600.0) - mt, 2));
            return den == 0 ? 0 : num / den;
        }
    }

    [Fact]
    public void A_fault_code_outside_the_node_program_s_vocabulary_is_never_shown_as_sent()
    {
        AlertEvaluator e = Engine();
        AlertTransition raised = Assert.Single(e.OnStatus("n1", 10, ["NUOC DA NGOT – MO CONG", "ec_ms_cm:open_probe", "level_m:<script>"], null));
        Assert.Equal(AlertLevel.Watch, raised.To);
        Assert.Equal("ec_ms_cm:open_probe, " + EdgeSensors.Node.Filters.FaultCodes.Unrecognised, raised.Detail);
        Assert.DoesNotContain("MO CONG", AlertMessages.For(raised, null).Vi, StringComparison.Ordinal);
        Assert.True(EdgeSensors.Node.Filters.FaultCodes.IsKnown("battery_v:low_cutoff"));
        Assert.True(EdgeSensors.Node.Filters.FaultCodes.IsKnown("level_m:fresh_water_assumed"));
        Assert.False(EdgeSensors.Node.Filters.FaultCodes.IsKnown("ec_ms_cm:open_probe "));
    }
}
