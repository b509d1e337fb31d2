using System.Globalization;
using System.Text;
using EdgeSensors.Emulator.Site;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Bench;

/// <summary>
/// Issue 31's measure: how long before salty water reaches a station's intake the farmer is warned, over an emulated
/// dry season along one river (<see cref="RiverSeason"/>: tide-driven salinity, fronts rising over 6 to 48 hours,
/// travel time between stations), with probe noise and missed readings. The gateway's own alert logic
/// (<see cref="AlertEvaluator"/>, <see cref="SamplingPlanner"/>) runs on the readings in simulated time, in two
/// behaviours side by side: "current" (15-minute readings, the salinity alert at the crop's warning level) and "new"
/// (predicted-crossing and upstream warnings, sampling that speeds up). Truth is the model's salinity minute by minute.
/// Per crop warning level it prints the lead time (warning raised → the level crossed at the station) as median and
/// 10th percentile, crossings missed, warnings late (after the crossing), false warnings per station-week (a warning
/// with no water over the level while it was up or in the hour after), and each node's charge per day against the
/// 60-day battery budget. No network or disk: it measures the logic, not the transport.
/// </summary>
public static class LeadTimeBench
{
    private const double NoisePpt = 0.03;
    private const double MissedShare = 0.03;
    private const int PreloadDays = 14;

    /// <summary>The nodes' own interval (node.json's, the firmware's default).</summary>
    private static readonly int OwnSeconds = new NodeConfig().IntervalSeconds;

    public sealed record Row(string Season, string Crop, double Warning, string Mode, int Crossings, double? MedianLeadMin, double? P10LeadMin, int Missed, int Late, double FalsePerStationWeek, double WarnedHoursPerStationWeek, double MaxMahPerDay, double MaxMah60Days, int NodesOverBudget);

    public static int Run(int weeks, int stations, string? resultsPath)
    {
        var start = new DateTime(2027, 1, 4, 0, 0, 0, DateTimeKind.Utc);
        int seasonWeeks = weeks + (PreloadDays / 7) + 1;
        (string Name, RiverSeason Season)[] seasons =
        [
            ("ordinary", RiverSeason.HauRiver(start, seasonWeeks, stations)),
            ("harsh (2020-like)", RiverSeason.HauRiver(start, seasonWeeks, stations, seed: 2020, basePpt: 1.0, tidalPpt: 3.5)),
        ];
        string[] crops = ["durian", "rice_tillering", "mango"];
        var rows = new List<Row>();
        var started = System.Diagnostics.Stopwatch.StartNew();
        foreach ((string name, RiverSeason season) in seasons)
        {
            foreach (string crop in crops)
            {
                foreach (string mode in new[] { "current", "new" })
                {
                    Row r = Simulate(name, season, start, weeks, crop, mode == "new");
                    rows.Add(r);
                    Console.WriteLine(Format(r));
                }
            }
        }

        string table = Table(rows, weeks, stations, seasons.Select(s => s.Season).ToArray());
        Console.WriteLine();
        Console.WriteLine(table);
        Console.WriteLine($"({started.Elapsed.TotalSeconds:0} s)");
        if (resultsPath != null)
        {
            File.WriteAllText(resultsPath, table);
        }

        return 0;
    }

    public static Row Simulate(string seasonName, RiverSeason season, DateTime start, int weeks, string cropId, bool adaptive)
    {
        var options = new AlertOptions { DefaultProfile = cropId };
        options.Outlook.Enabled = adaptive;
        options.Outlook.Rivers["hau"] = season.Stations.Select(s => s.Id).ToArray();
        var evaluator = new AlertEvaluator(options);
        var planner = new SamplingPlanner(new SamplingOptions { Enabled = adaptive });
        CropProfile crop = evaluator.ProfileFor(season.Stations[0].Id);
        double w = crop.Warning;

        DateTime measureFrom = start.AddDays(PreloadDays), measureTo = measureFrom.AddDays(7 * weeks);
        long from = ToUnix(measureFrom), to = ToUnix(measureTo);
        var random = new Random(7);
        int n = season.Stations.Count;
        var interval = Enumerable.Repeat(OwnSeconds, n).ToArray();
        var pending = new int?[n];
        var next = new long[n];
        var cycles = new long[n];
        var used = new double[n];
        var usedAt60 = new double?[n];
        var warnedSince = new long?[n];
        var active = Enumerable.Range(0, n).Select(_ => new HashSet<AlertKind>()).ToArray();
        var warned = Enumerable.Range(0, n).Select(_ => new List<(long From, long To)>()).ToArray();
        var rising = new bool[n];
        for (int i = 0; i < n; i++)
        {
            next[i] = ToUnix(start) + random.Next(0, 900);
        }

        var index = season.Stations.Select((s, i) => (s.Id, i)).ToDictionary(p => p.Id, p => p.i);
        while (true)
        {
            int i = 0;
            for (int k = 1; k < n; k++)
            {
                if (next[k] < next[i])
                {
                    i = k;
                }
            }

            long ts = next[i];
            if (ts >= to)
            {
                break;
            }

            RiverStation st = season.Stations[i];
            double truth = season.Salinity(FromUnix(ts), st);
            if (ts >= from)
            {
                cycles[i]++;
            }

            if (random.NextDouble() >= MissedShare)
            {
                double reading = Math.Max(0, truth + Gauss(random, NoisePpt));
                foreach (AlertTransition t in evaluator.OnReading(st.Id, ts, reading, null, ts))
                {
                    int j = index[t.Node];
                    if (t.Kind == AlertKind.SalinityRising)
                    {
                        rising[j] = t.To != AlertLevel.None;
                    }

                    bool counts = t.Kind is AlertKind.SalinityForecast or AlertKind.SalinityUpstream || (t.Kind == AlertKind.Salinity);
                    if (!counts)
                    {
                        continue;
                    }

                    bool on = t.Kind == AlertKind.Salinity ? t.To >= AlertLevel.Warning : t.To != AlertLevel.None;
                    bool wasAny = active[j].Count > 0;
                    if (on)
                    {
                        active[j].Add(t.Kind);
                    }
                    else
                    {
                        active[j].Remove(t.Kind);
                    }

                    if (!wasAny && active[j].Count > 0)
                    {
                        warnedSince[j] = ts;
                    }
                    else if (wasAny && active[j].Count == 0 && warnedSince[j] is long since)
                    {
                        warned[j].Add((since, ts));
                        warnedSince[j] = null;
                    }
                }

                if (adaptive)
                {
                    double volts = VoltsFor(PowerBudget.UsableMah - used[i]);
                    SamplingDecision? d = planner.Decide(st.Id, new SamplingInput(
                        evaluator.Level(st.Id, AlertKind.Salinity), evaluator.Level(st.Id, AlertKind.SalinityForecast) != AlertLevel.None,
                        evaluator.Level(st.Id, AlertKind.SalinityUpstream) != AlertLevel.None, rising[i], reading, w, volts, false, ts, OwnSeconds));
                    int wanted = d?.IntervalSeconds ?? OwnSeconds;
                    if (d != null && wanted != interval[i])
                    {
                        pending[i] = wanted; // retained config: the node takes it at its next wake
                    }
                }
            }

            if (ts >= from)
            {
                used[i] += PowerBudget.CycleMah;
                if (usedAt60[i] == null && ts - from >= 60 * 86400L)
                {
                    usedAt60[i] = used[i] + (60 * PowerBudget.SleepMahPerDay);
                }
            }

            next[i] = ts + interval[i];
            if (pending[i] is int p && (p > interval[i] || PowerBudget.CanAfford(p, VoltsFor(PowerBudget.UsableMah - used[i]))))
            {
                interval[i] = p;
            }

            pending[i] = null;
        }

        for (int j = 0; j < n; j++)
        {
            if (warnedSince[j] is long since)
            {
                warned[j].Add((since, to));
            }
        }

        // Truth, minute by minute: crossings of the warning level from fresh water — after the water had stayed under
        // the crop's reopening level for its hold (when the farmer may have opened the sluice again). Crossings while
        // the water never freshened are one episode: the farmer was still told not to take water.
        var leads = new List<double>();
        int missed = 0, late = 0, crossings = 0, falses = 0;
        double warnedSeconds = 0;
        for (int j = 0; j < n; j++)
        {
            RiverStation st = season.Stations[j];
            var above = new List<long>();
            long freshSince = long.MinValue;
            bool armed = false;
            for (long t = from - (2 * 86400); t < to; t += 60)
            {
                double v = season.Salinity(FromUnix(t), st);
                if (v < crop.ReopenBelow)
                {
                    freshSince = freshSince == long.MinValue ? t : freshSince;
                    armed |= t - freshSince >= crop.ReopenHoldMinutes * 60L;
                }
                else
                {
                    freshSince = long.MinValue;
                }

                if (v >= w && armed)
                {
                    if (t >= from)
                    {
                        above.Add(t);
                    }

                    armed = false;
                }
            }

            crossings += above.Count;
            foreach (long c in above)
            {
                (long From, long To)? cover = warned[j].Where(x => x.From <= c && x.To >= c).Select(x => ((long, long)?)x).FirstOrDefault();
                if (cover is { } hit)
                {
                    leads.Add((c - hit.From) / 60.0);
                    continue;
                }

                (long From, long To)? after = warned[j].Where(x => x.From > c && x.From <= c + (6 * 3600)).Select(x => ((long, long)?)x).FirstOrDefault();
                if (after is { } lateHit)
                {
                    leads.Add((c - lateHit.From) / 60.0);
                    late++;
                }
                else
                {
                    missed++;
                }
            }

            foreach ((long f, long t) in Merge(warned[j]))
            {
                warnedSeconds += Math.Max(0, Math.Min(t, to) - Math.Max(f, from));
                if (f < from)
                {
                    continue;
                }

                bool any = false;
                for (long m = f; m <= t + 3600 && !any; m += 60)
                {
                    any = season.Salinity(FromUnix(m), st) >= w;
                }

                if (!any)
                {
                    falses++;
                }
            }
        }

        double days = (to - from) / 86400.0;
        double[] perDay = used.Select(u => (u / days) + PowerBudget.SleepMahPerDay).ToArray();

        // Charge used in the first 60 days without sun (the design target); a shorter run is prorated.
        double[] sixty = usedAt60.Select((u, k) => u ?? (perDay[k] * 60)).ToArray();
        leads.Sort();
        return new Row(seasonName, cropId, w, adaptive ? "new" : "current", crossings,
            leads.Count == 0 ? null : Quantile(leads, 0.5), leads.Count == 0 ? null : Quantile(leads, 0.1),
            missed, late, falses / (n * (double)weeks), warnedSeconds / 3600.0 / (n * (double)weeks), perDay.Max(), sixty.Max(), sixty.Count(x => x > PowerBudget.UsableMah));
    }

    private static IEnumerable<(long From, long To)> Merge(List<(long From, long To)> list)
    {
        (long From, long To)? cur = null;
        foreach ((long f, long t) in list.OrderBy(x => x.From))
        {
            if (cur is { } c && f - c.To < 1800)
            {
                cur = (c.From, Math.Max(c.To, t));
            }
            else
            {
                if (cur is { } done)
                {
                    yield return done;
                }

                cur = (f, t);
            }
        }

        if (cur is { } last)
        {
            yield return last;
        }
    }

    /// <summary>The rest voltage at which a cell has this much usable charge left (the inverse of <see cref="PowerBudget.RemainingMah"/>, by bisection).</summary>
    private static double VoltsFor(double mahLeft)
    {
        double lo = 3.30, hi = 4.20;
        for (int k = 0; k < 40; k++)
        {
            double mid = (lo + hi) / 2;
            if (PowerBudget.RemainingMah(mid) < mahLeft)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        return (lo + hi) / 2;
    }

    private static double Quantile(List<double> sorted, double q)
    {
        double pos = q * (sorted.Count - 1);
        int lo = (int)Math.Floor(pos);
        int hi = Math.Min(sorted.Count - 1, lo + 1);
        return sorted[lo] + ((pos - lo) * (sorted[hi] - sorted[lo]));
    }

    private static double Gauss(Random r, double sigma) =>
        sigma * Math.Sqrt(-2.0 * Math.Log(1.0 - r.NextDouble())) * Math.Cos(2 * Math.PI * r.NextDouble());

    private static long ToUnix(DateTime t) => new DateTimeOffset(t).ToUnixTimeSeconds();

    private static DateTime FromUnix(long s) => DateTimeOffset.FromUnixTimeSeconds(s).UtcDateTime;

    private static string Format(Row r) => string.Create(CultureInfo.InvariantCulture,
        $"{r.Season,-18} {r.Crop,-15} {r.Warning,4} ‰ {r.Mode,-8} crossings {r.Crossings,4}  lead median {Min(r.MedianLeadMin),6}  p10 {Min(r.P10LeadMin),6}  missed {r.Missed,3}  late {r.Late,3}  false/stn-wk {r.FalsePerStationWeek:0.00}  warned {r.WarnedHoursPerStationWeek:0} h/stn-wk  max {r.MaxMahPerDay:0.0} mAh/day, {r.MaxMah60Days:0} mAh in 60 days ({r.NodesOverBudget} over {PowerBudget.UsableMah:0})");

    private static string Min(double? v) => v is double d ? d.ToString("0", CultureInfo.InvariantCulture) + " min" : "—";

    private static string Table(List<Row> rows, int weeks, int stations, RiverSeason[] seasons)
    {
        var sb = new StringBuilder();
        sb.AppendLine(CultureInfo.InvariantCulture, $"Emulated dry season: {stations} stations on one river (45 min travel between neighbours), {weeks} weeks measured after {PreloadDays} days of history; fronts with rises of {string.Join(", ", seasons.SelectMany(x => x.Fronts).Select(f => f.RiseHours).Distinct().Order())} h; probe noise ±{NoisePpt} ‰, {MissedShare:P0} of readings lost. A crossing counts from fresh water (under the crop's reopening level for its hold, then over its warning level); lead = crossing − the warning that covers it (negative: late). Charge: the most any node used in the first 60 days without sun, of the {PowerBudget.UsableMah:0} mAh a cell gives.");
        sb.AppendLine();
        sb.AppendLine("| season | crop (warning) | behaviour | crossings | median lead | 10th pct lead | missed | late | false / station-week | hours warned / station-week | max mAh/day | max mAh in 60 days |");
        sb.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (Row r in rows)
        {
            sb.AppendLine(CultureInfo.InvariantCulture,
                $"| {r.Season} | {r.Crop} ({r.Warning} ‰) | {r.Mode} | {r.Crossings} | {Min(r.MedianLeadMin)} | {Min(r.P10LeadMin)} | {r.Missed} | {r.Late} | {r.FalsePerStationWeek:0.00} | {r.WarnedHoursPerStationWeek:0} | {r.MaxMahPerDay:0.0} | {r.MaxMah60Days:0}{(r.NodesOverBudget > 0 ? $" ({r.NodesOverBudget} over)" : string.Empty)} |");
        }

        return sb.ToString();
    }
}
