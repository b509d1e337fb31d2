using EdgeSensors.Emulator.Sim;
using EdgeSensors.Emulator.Site;

namespace EdgeSensors.Emulator.Tests;

public class DeterminismAndPhysicsTests(ITestOutputHelper output)
{
    private static async Task<List<GeneratedSample>> RunOfflineAsync(int seed, string scenario = "dry-typical", double hours = 6, int interval = 300, int nodes = 4, params FaultSpec[] faults)
    {
        var settings = new EmulatorSettings
        {
            Nodes = nodes,
            Offline = true,
            Seed = seed,
            Scenario = scenario,
            Duration = TimeSpan.FromHours(hours),
            IntervalSeconds = interval,
            KeepSampleLog = true,
            Faults = [.. faults],
        };
        using Fleet fleet = EmulatorRunner.Build(settings);
        await fleet.RunAsync(settings.Duration, TimeSpan.FromHours(1), null, CancellationToken.None);
        return fleet.Nodes.SelectMany(n => n.Log).ToList();
    }

    [Fact]
    public async Task Same_seed_gives_the_same_generated_readings()
    {
        var faults = new[] { FaultSpec.Parse("open-probe=0.5"), FaultSpec.Parse("reboot=0.5"), FaultSpec.Parse("clock-unsynced=0.25") };
        List<GeneratedSample> a = await RunOfflineAsync(7, faults: faults);
        List<GeneratedSample> b = await RunOfflineAsync(7, faults: faults);
        Assert.True(a.Count > 200);
        Assert.Equal(a, b);

        List<GeneratedSample> c = await RunOfflineAsync(8, faults: faults);
        Assert.NotEqual(a.Select(x => x.SalinityPpt), c.Select(x => x.SalinityPpt));
    }

    [Fact]
    public void Emulated_restarts_report_their_cause_through_the_device_programs_run_record()
    {
        var settings = new EmulatorSettings { Nodes = 1, Offline = true, Seed = 1, Duration = TimeSpan.FromHours(1), IntervalSeconds = 60 };
        using Fleet fleet = EmulatorRunner.Build(settings);
        EmulatedNode node = fleet.Nodes[0];
        Assert.Equal("power_on", node.ResetReason);
        node.Reboot("reboot", deliberate: true);
        Assert.Equal("watchdog", node.ResetReason);
        node.Reboot("brown-out", deliberate: false);
        Assert.Equal("unexpected", node.ResetReason);
    }

    [Fact]
    public async Task Readings_the_node_logic_makes_from_simulated_counts_track_the_simulated_truth()
    {
        List<GeneratedSample> log = await RunOfflineAsync(3, "dry-2020", hours: 24);
        var measured = log.Where(s => s.SalinityPpt != null && s.LevelM != null).ToList();
        Assert.True(measured.Count > 0.95 * log.Count);
        // Calibration error (±1 %), drift and ADC noise stay within what a technician would accept.
        Assert.All(measured, s => Assert.InRange(s.SalinityPpt!.Value - s.TrueSalinityPpt, -0.05 - (0.03 * s.TrueSalinityPpt), 0.05 + (0.03 * s.TrueSalinityPpt)));
        Assert.All(measured, s => Assert.InRange(s.LevelM!.Value - s.TrueLevelM, -0.02, 0.02));
    }

    [Fact]
    public async Task A_dry_2020_scenario_crosses_the_rice_danger_threshold_on_the_flood_and_peaks_after_high_water()
    {
        // Rice, danger level: 4 ‰ water at tillering cut yields by up to 60 % (docs/salinity-thresholds.md). In a
        // 2020-like dry season the canal never falls below the 2 ‰ "watch" level, but crosses 4 ‰ on each flood.
        const double rice = 4.0;
        var site = new SiteModel(Scenario.Find("dry-2020"));
        List<GeneratedSample> log = await RunOfflineAsync(11, "dry-2020", hours: 72, interval: 300, nodes: 1);
        var series = log.Where(s => s.SalinityPpt != null).OrderBy(s => s.Timestamp).ToList();
        // Crossings as an alert engine sees them: re-armed only after falling 0.1 ‰ below the threshold, so sensor
        // noise at a turning point does not count as a new crossing.
        int crossings = 0;
        bool armed = series[0].SalinityPpt < rice;
        for (int i = 1; i < series.Count; i++)
        {
            if (series[i].SalinityPpt < rice - 0.1)
            {
                armed = true;
            }

            if (armed && series[i].SalinityPpt >= rice)
            {
                armed = false;
                crossings++;
                DateTime t = DateTimeOffset.FromUnixTimeSeconds(series[i].Timestamp).UtcDateTime;
                // Upward crossings happen while the water (one hour earlier, the salinity lag) was rising: the flood.
                Assert.True(site.Tide.Rate(t.AddHours(-Scenario.SalinityLagHours)) > 0, $"crossing at {t:u} not on the flood");
            }
        }

        Assert.True(crossings >= 2, $"only {crossings} upward crossings of {rice} ‰ in 3 days");
        Assert.True(series.Max(s => s.SalinityPpt!.Value) is > 5 and < 12, "dry-2020 peaks should be 5–10 ‰ in Vị Thanh canals");

        // Daily peak of salinity: about one hour after the day's highest water.
        foreach (var day in series.GroupBy(s => s.Timestamp / 86400).Where(g => g.Count() > 250))
        {
            GeneratedSample peak = day.MaxBy(s => s.SalinityPpt!.Value)!;
            GeneratedSample high = day.MaxBy(s => s.TrueLevelM)!;
            double lagHours = (peak.Timestamp - high.Timestamp) / 3600.0;
            output.WriteLine($"day {day.Key}: high water {DateTimeOffset.FromUnixTimeSeconds(high.Timestamp):u}, salinity peak {peak.SalinityPpt:F2} ‰ at +{lagHours:F1} h");
            Assert.InRange(lagHours, 0, 2.5);
        }
    }

    [Theory]
    [InlineData(0.0, 0.0)]       // the firmware's default for a board that outputs conductivity at the water's temperature
    [InlineData(0.0191, 0.0955)] // the old CLI default: the temperature corrected twice, +9.6 % at 30 °C
    public void An_emulated_probe_is_the_board_s_not_the_node_s_own_assumption(double nodeAlpha, double expectedExcess)
    {
        // The probe in the 12.88 mS/cm standard at 30 °C: the board outputs what the standard conducts there, whatever the
        // node believes. An emulator that undid the node's own α would hide a wrong α (both readings would agree).
        var config = new EdgeSensors.Node.Config.NodeConfig { EcAlpha = nodeAlpha };
        var placement = new NodePlacement("hg-alpha-1", 9.78, 105.47, "Vị Thanh", 1.0, -1.6);
        var sensors = new SimulatedSensors(new FleetClock(new DateTime(2026, 2, 14, 0, 0, 0, DateTimeKind.Utc), 1, isVirtual: true), new SiteModel(Scenario.Find("dry-typical")), placement, config, new Random(3))
        {
            SolutionEc25 = 12.88,
            SolutionTempC = 30.0,
        };
        double reported = new EdgeSensors.Node.Samples.SampleProcessor(config).Process(sensors.Read(9), 0).Reading.EcMsCm;
        double truth = EdgeSensors.Node.Probe.KclStandard.AtTemperature(12.88, 30.0);
        Assert.InRange(reported / truth - 1, expectedExcess - 0.015, expectedExcess + 0.015);
    }

    [Fact]
    public void Wet_season_canals_stay_fresh()
    {
        var site = new SiteModel(Scenario.Find("wet-calm"));
        var node = EmulatorRunner.Place(20, "x", 1).MaxBy(p => p.IntrusionFactor)!;
        for (int h = 0; h < 72; h++)
        {
            Assert.True(site.Salinity(Scenario.Find("wet-calm").DefaultStart.AddHours(h), node) < 0.5);
        }
    }

    [Fact]
    public void Tide_has_the_four_main_constituents_and_a_plausible_range()
    {
        var site = new SiteModel(Scenario.Find("dry-typical"));
        Assert.Equal(["M2", "S2", "K1", "O1"], site.Tide.Constituents.Select(c => c.Name));
        double[] levels = Enumerable.Range(0, 24 * 30).Select(h => site.Level(Scenario.Find("dry-typical").DefaultStart.AddHours(h))).ToArray();
        Assert.InRange(levels.Max() - levels.Min(), 1.5, 3.0);
    }

    [Fact]
    public async Task Outbox_overflow_is_counted_and_the_report_balances()
    {
        // 600-sample outboxes, no gateway, 10 hours at 30 s: every node overflows.
        var settings = new EmulatorSettings { Nodes = 3, Offline = true, Duration = TimeSpan.FromHours(10), IntervalSeconds = 30 };
        using Fleet fleet = EmulatorRunner.Build(settings);
        FleetReport report = await fleet.RunAsync(settings.Duration, TimeSpan.FromHours(1), null, CancellationToken.None);
        Assert.All(report.Nodes, n =>
        {
            Assert.True(n.DroppedByOutbox > 0);
            Assert.Equal(n.Generated, n.Acknowledged + n.Queued + n.DroppedByOutbox);
        });
    }

    [Theory]
    [InlineData("wifi-drop=0.2", FaultKind.WifiDrop)]
    [InlineData("brown-out=emu-0003", FaultKind.BrownOut)]
    [InlineData("stuck-adc", FaultKind.StuckAdc)]
    public void Fault_specs_parse(string text, FaultKind kind) => Assert.Equal(kind, FaultSpec.Parse(text).Kind);

    [Theory]
    [InlineData("meteor=0.1")]
    [InlineData("reboot=1.5")]
    public void Bad_fault_specs_are_refused(string text) => Assert.Throws<FormatException>(() => FaultSpec.Parse(text));
}
