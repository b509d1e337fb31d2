namespace EdgeSensors.Emulator.Site;

/// <summary>A station on the river: its travel time from the mouth, and how much of the mouth's base and tidal salinity reaches it.</summary>
public sealed record RiverStation(string Id, string Place, double LagHours, double BaseFactor, double TidalFactor, double SmoothingHours);

/// <summary>
/// A salinity front: the base salinity at the river mouth rises by <paramref name="AddPpt"/> over
/// <paramref name="RiseHours"/> (a fast spring-tide surge or a slow drop of the river's discharge), holds, then falls.
/// </summary>
public sealed record SalinityFront(DateTime Start, double RiseHours, double HoldHours, double FallHours, double AddPpt)
{
    public double At(DateTime utc)
    {
        double h = (utc - Start).TotalHours;
        if (h <= 0 || h >= RiseHours + HoldHours + FallHours)
        {
            return 0;
        }

        return h < RiseHours ? AddPpt * h / RiseHours
            : h < RiseHours + HoldHours ? AddPpt
            : AddPpt * (1 - ((h - RiseHours - HoldHours) / FallHours));
    }
}

/// <summary>
/// A dry season along one river (issue 31): salinity at the mouth is a base (the season's plus fronts) and a tidal
/// part that follows the tide's normalised elevation an hour earlier (as <see cref="SiteModel"/>), and each station
/// upstream sees the mouth's salinity its travel time later, scaled down, and smeared over a window that widens
/// with distance (dispersion) — so an upstream station is not an exact delayed copy of its neighbour. Fronts come
/// at different speeds, from a 6-hour surge to a 2-day rise. The model is ours, not a hydrodynamic one: it checks
/// that the gateway's forecasts find what a tide-and-travel-time model of the river would put there.
/// </summary>
public sealed class RiverSeason
{
    private readonly TideModel _tide;
    private readonly double _basePpt;
    private readonly double _tidalPpt;

    public RiverSeason(TideModel tide, double basePpt, double tidalPpt, IReadOnlyList<RiverStation> stations, IReadOnlyList<SalinityFront> fronts)
    {
        _tide = tide;
        _basePpt = basePpt;
        _tidalPpt = tidalPpt;
        Stations = stations;
        Fronts = fronts;
    }

    public IReadOnlyList<RiverStation> Stations { get; }

    public IReadOnlyList<SalinityFront> Fronts { get; }

    /// <summary>Salinity at the mouth, ‰.</summary>
    public double AtMouth(DateTime utc)
    {
        double front = 0;
        foreach (SalinityFront f in Fronts)
        {
            front += f.At(utc);
        }

        double h = TideModel.Hours(utc) - Scenario.SalinityLagHours;
        double normalized = (_tide.Anomaly(h) + _tide.MaxAnomaly) / (2 * _tide.MaxAnomaly);

        // A front also strengthens the flood's salt (a higher base carries a fuller wedge up on each tide).
        return _basePpt + front + (_tidalPpt * (1 + (0.25 * front)) * normalized * normalized);
    }

    /// <summary>The truth at a station, ‰: the mouth's base and tidal parts, scaled, its travel time later, smeared over its window.</summary>
    public double Salinity(DateTime utc, RiverStation station)
    {
        DateTime at = utc.AddHours(-station.LagHours);
        if (station.SmoothingHours <= 0)
        {
            return Part(at, station);
        }

        // A centred 5-point window over the station's smoothing time.
        double sum = 0;
        for (int k = -2; k <= 2; k++)
        {
            sum += Part(at.AddHours(k * station.SmoothingHours / 4), station);
        }

        return sum / 5;
    }

    private double Part(DateTime at, RiverStation s)
    {
        double front = 0;
        foreach (SalinityFront f in Fronts)
        {
            front += f.At(at);
        }

        double h = TideModel.Hours(at) - Scenario.SalinityLagHours;
        double normalized = (_tide.Anomaly(h) + _tide.MaxAnomaly) / (2 * _tide.MaxAnomaly);
        double tidal = _tidalPpt * (1 + (0.25 * front)) * normalized * normalized;
        return Math.Max(0.02, ((_basePpt + front) * s.BaseFactor) + (tidal * s.TidalFactor));
    }

    /// <summary>
    /// The Hậu River preset: <paramref name="count"/> stations from the mouth inland, 45 min of travel between
    /// neighbours, the base falling by 15 % and the tide's salt by 22 % a station; fronts every 4–8 days with rises of
    /// 6, 12, 24 or 48 hours and 0.6–2.5 ‰ at the mouth, drawn from <paramref name="seed"/>.
    /// </summary>
    public static RiverSeason HauRiver(DateTime start, int weeks, int count = 8, int seed = 31, double basePpt = 0.25, double tidalPpt = 1.4)
    {
        string[] places = ["Cái Côn", "Phụng Hiệp", "Long Mỹ", "Vị Thủy", "Vị Thanh", "Hỏa Lựu", "Tân Tiến", "Vị Tân", "Hỏa Tiến", "Tân Phú Thạnh", "Nàng Mau", "Xà No"];
        var stations = new List<RiverStation>();
        for (int i = 0; i < count; i++)
        {
            stations.Add(new RiverStation($"hg-r{i + 1:D2}", places[i % places.Length], 0.75 * i, Math.Pow(0.85, i), Math.Pow(0.78, i), 0.25 * i));
        }

        var random = new Random(seed);
        double[] rises = [6, 12, 24, 48];
        var fronts = new List<SalinityFront>();
        DateTime t = start.AddDays(1 + random.NextDouble() * 3);
        while (t < start.AddDays(7 * weeks))
        {
            double rise = rises[random.Next(rises.Length)];
            fronts.Add(new SalinityFront(t, rise, 24 + (random.NextDouble() * 48), 24 + (random.NextDouble() * 48), 0.6 + (random.NextDouble() * 1.9)));
            t = t.AddDays(4 + (random.NextDouble() * 4));
        }

        return new RiverSeason(new TideModel(0, TideModel.HauRiverDefaults), basePpt, tidalPpt, stations, fronts);
    }
}
