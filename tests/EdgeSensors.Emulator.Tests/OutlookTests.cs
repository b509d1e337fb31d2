using EdgeSensors.Emulator.Site;
using EdgeSensors.Gateway.Alerts;
using Xunit.Abstractions;

namespace EdgeSensors.Emulator.Tests;

/// <summary>
/// Issue 31 against the emulator's truth (<see cref="RiverSeason"/>): the predicted-crossing alert comes before the
/// salt does and goes when it has come or no longer will; a station upstream is warned with the travel time its
/// history shows; both say so in Vietnamese first.
/// </summary>
public sealed class OutlookTests(ITestOutputHelper output)
{
    private static readonly DateTime Start = new(2027, 1, 4, 0, 0, 0, DateTimeKind.Utc);

    private static long Unix(DateTime t) => new DateTimeOffset(t).ToUnixTimeSeconds();

    /// <summary>The truth's first crossing of <paramref name="threshold"/> from fresh water (under 60 % of it) after <paramref name="from"/> at the last station, or long.MaxValue.</summary>
    private static long FirstCrossing(RiverSeason season, RiverStation station, double threshold, DateTime from, DateTime until)
    {
        bool fresh = false;
        for (DateTime t = from; t < until; t = t.AddMinutes(1))
        {
            double v = season.Salinity(t, station);
            fresh |= v < threshold * 0.6;
            if (fresh && v >= threshold)
            {
                return Unix(t);
            }
        }

        return long.MaxValue;
    }

    /// <summary>Readings every 15 minutes with ±0.03 ‰ noise from the start to <paramref name="until"/>, through the evaluator.</summary>
    private static List<AlertTransition> Run(AlertEvaluator evaluator, RiverSeason season, RiverStation[] stations, DateTime until)
    {
        var random = new Random(3);
        var changes = new List<AlertTransition>();
        for (DateTime t = Start; t < until; t = t.AddMinutes(15))
        {
            foreach (RiverStation s in stations)
            {
                double truth = season.Salinity(t, s);
                double noise = 0.03 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
                changes.AddRange(evaluator.OnReading(s.Id, Unix(t), Math.Max(0, truth + noise), null, Unix(t)));
            }
        }

        return changes;
    }

    [Fact]
    public void A_forecast_crossing_is_raised_before_the_salt_arrives_and_cleared_once_it_has()
    {
        RiverSeason season = RiverSeason.HauRiver(Start, 6, count: 1);
        RiverStation mouth = season.Stations[0];
        var evaluator = new AlertEvaluator(new AlertOptions { DefaultProfile = "rice_tillering" });
        DateTime from = Start.AddDays(9);
        long crossing = FirstCrossing(season, mouth, 1.0, from, Start.AddDays(40));
        Assert.NotEqual(long.MaxValue, crossing);
        List<AlertTransition> changes = Run(evaluator, season, [mouth], DateTimeOffset.FromUnixTimeSeconds(crossing).UtcDateTime.AddDays(1));

        var forecasts = changes.Where(c => c.Kind == AlertKind.SalinityForecast && c.Ts >= Unix(from)).ToList();
        AlertTransition raised = forecasts.Last(c => c.To == AlertLevel.Watch && c.Ts <= crossing);
        output.WriteLine($"raised {raised.Ts - crossing} s before the crossing; expected at {raised.Value - crossing} s from it");
        Assert.True(crossing - raised.Ts >= 30 * 60, $"the warning came {(crossing - raised.Ts) / 60} min before the crossing");
        Assert.Equal(1.0, raised.Threshold);
        Assert.InRange((long)raised.Value, raised.Ts, raised.Ts + (3 * 3600));

        // Cleared after it: the salt arrived (the salinity alert takes over at warning) or the forecast eased.
        AlertTransition cleared = forecasts.First(c => c.To == AlertLevel.None && c.Ts > raised.Ts);
        Assert.Contains(cleared.Detail, new[] { "arrived", "receded" });
        Assert.True(evaluator.Level(mouth.Id, AlertKind.Salinity) >= AlertLevel.None);
        AlertTransition warning = changes.First(c => c.Kind == AlertKind.Salinity && c.To >= AlertLevel.Warning && c.Ts >= crossing);
        Assert.True(warning.Ts > raised.Ts);

        CropProfile rice = evaluator.ProfileFor(mouth.Id);
        (string vi, string en) = AlertMessages.For(raised, rice);
        output.WriteLine(vi);
        Assert.StartsWith("Độ mặn dự kiến vượt ngưỡng cảnh báo 1,0‰ lúc " + AlertMessages.LocalClock((long)raised.Value), vi, StringComparison.Ordinal);
        Assert.Matches(@"\(khoảng (\d+ giờ )?(\d+ phút )?nữa\)", vi);
        Assert.Contains("chuẩn bị đóng cống", vi, StringComparison.Ordinal);
        Assert.StartsWith("Salinity expected to pass the warning level 1.0‰ at ", en, StringComparison.Ordinal);
    }

    [Fact]
    public void Fresh_water_raises_no_forecast()
    {
        // The wet season: no front, a canal under 0.2 ‰.
        var season = new RiverSeason(new TideModel(0, TideModel.HauRiverDefaults), 0.05, 0.1, [new RiverStation("hg-r01", "Cái Côn", 0, 1, 1, 0)], []);
        var evaluator = new AlertEvaluator(new AlertOptions { DefaultProfile = "rice_tillering" });
        List<AlertTransition> changes = Run(evaluator, season, [season.Stations[0]], Start.AddDays(14));
        Assert.DoesNotContain(changes, c => c.Kind is AlertKind.SalinityForecast or AlertKind.SalinityUpstream);
    }

    [Fact]
    public void An_upstream_station_is_warned_with_the_travel_time_learned_from_history()
    {
        RiverSeason season = RiverSeason.HauRiver(Start, 4, count: 2);
        RiverStation down = season.Stations[0], up = season.Stations[1];
        var options = new AlertOptions { DefaultProfile = "rice_tillering" };
        options.Outlook.Rivers["hau"] = [down.Id, up.Id];
        var evaluator = new AlertEvaluator(options);
        DateTime from = Start.AddDays(8);
        List<AlertTransition> changes = Run(evaluator, season, [down, up], Start.AddDays(24));
        long crossing = FirstCrossing(season, up, 1.0, from, Start.AddDays(24));

        TravelRelation rel = evaluator.Outlook!.RelationInto(up.Id, Unix(Start.AddDays(24)))!;
        output.WriteLine($"learned lag {rel.LagHours} h (model {up.LagHours - down.LagHours} h), gain {rel.Gain:0.00}, r {rel.Correlation}");
        Assert.InRange(rel.LagHours, (up.LagHours - down.LagHours) - 0.25, (up.LagHours - down.LagHours) + 0.25);

        AlertTransition warned = changes.First(c => c.Kind == AlertKind.SalinityUpstream && c.Node == up.Id && c.To == AlertLevel.Watch && c.Ts >= Unix(from));
        Assert.StartsWith(down.Id + "|", warned.Detail, StringComparison.Ordinal);
        Assert.InRange((long)warned.Value, warned.Ts + (long)(rel.LagHours * 3600) - 1, warned.Ts + (long)(rel.LagHours * 3600) + 1);
        Assert.True(crossing == long.MaxValue || warned.Ts <= crossing, "the upstream warning came after the salt");

        (string vi, string en) = AlertMessages.For(warned, evaluator.ProfileFor(up.Id), id => id == down.Id ? down.Place : null);
        output.WriteLine(vi);
        Assert.StartsWith($"Mặn đang lên từ hạ lưu ({down.Place}, trước đây khoảng 45 phút): dự kiến vượt 1,0‰ tại đây lúc ", vi, StringComparison.Ordinal);
        Assert.StartsWith($"Salt is coming up from downstream ({down.Place}, about 45 min ahead of here)", en, StringComparison.Ordinal);
    }
}
