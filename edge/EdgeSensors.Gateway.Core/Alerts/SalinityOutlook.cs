namespace EdgeSensors.Gateway.Alerts;

/// <summary>A forecast that salinity at a station reaches a level: when, how likely, and on what basis.</summary>
/// <param name="At">Expected time of the crossing (unix s).</param>
/// <param name="Probability">Chance the level is reached within the horizon (0–1).</param>
/// <param name="Basis">"tide" (the station's tide fit and its latest error), "trend" (the last hour's slope, before a week of data), or "downstream".</param>
public sealed record PredictedCrossing(long At, double ThresholdPpt, double Probability, string Basis);

/// <summary>How salinity at an upstream station follows its downstream neighbour: up(t + lag) ≈ Gain·down(t) + Offset.</summary>
public sealed record TravelRelation(string Downstream, string Upstream, double LagHours, double Gain, double OffsetPpt, double Correlation, long LearnedAt);

/// <summary>
/// What the gateway expects salinity to do next at each station (issue 31): the station's own history in 15-minute
/// means over 14 days, its tide fit (<see cref="TideFit"/>, redone every few hours), the fit's latest error carried
/// forward (a front lifts the coming tides above the fitted ones), and, along a river, the travel time from the
/// station downstream learned by cross-correlating the two series. Pure logic on the readings it is given and their
/// own times, so the alert evaluator, the SMS service and the lead-time benchmark use the same forecast. Not
/// thread-safe: the alert engine's single worker owns it.
/// </summary>
public sealed class SalinityOutlook(OutlookOptions options)
{
    /// <summary>Bin width of the kept history, s (what the tide fit needs, whatever the node's sampling rate).</summary>
    public const int BinSeconds = 900;

    /// <summary>Days of history kept.</summary>
    public const int KeepDays = 14;

    private const int Bins = KeepDays * 86400 / BinSeconds;
    private const int StepSeconds = 300;
    private readonly Dictionary<string, Station> _stations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TravelRelation> _relations = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _relationTried = new(StringComparer.Ordinal);

    public OutlookOptions Options => options;

    /// <summary>A reading's salinity at its own time.</summary>
    public void Observe(string node, long ts, double ppt)
    {
        if (!double.IsFinite(ppt))
        {
            return;
        }

        Station s = Get(node);
        // A bin number fits an int for any time the intake lets through (SampleTimes: 2024 to now + skew).
        int bin = (int)(Math.DivRem(ts, BinSeconds, out long rem) - (rem < 0 ? 1 : 0));
        int slot = ((bin % Bins) + Bins) % Bins;
        if (s.BinIndex[slot] != bin)
        {
            s.BinIndex[slot] = bin;
            s.Sum[slot] = 0;
            s.Count[slot] = 0;
        }

        s.Sum[slot] += ppt;
        s.Count[slot]++;
        s.Recent.Enqueue((ts, ppt));
        while (s.Recent.Count > 0 && s.Recent.Peek().Ts < ts - (2 * options.ResidualWindowMinutes * 60L))
        {
            s.Recent.Dequeue();
        }

        s.Slope.Add(ts, ppt);
        s.LastTs = Math.Max(s.LastTs, ts);
    }

    /// <summary>The 15-minute means held for a node, oldest first.</summary>
    public List<(long Ts, double Ppt)> Series(string node, long from = long.MinValue)
    {
        if (!_stations.TryGetValue(node, out Station? s))
        {
            return [];
        }

        long newest = s.LastTs / BinSeconds;
        var list = new List<(long, double)>(Bins);
        for (int i = 0; i < Bins; i++)
        {
            if (s.Count[i] > 0 && s.BinIndex[i] > newest - Bins && ((long)s.BinIndex[i] * BinSeconds) + (BinSeconds / 2) >= from)
            {
                list.Add((((long)s.BinIndex[i] * BinSeconds) + (BinSeconds / 2), s.Sum[i] / s.Count[i]));
            }
        }

        list.Sort((a, b) => a.Item1.CompareTo(b.Item1));
        return list;
    }

    /// <summary>The station's current tide fit (refitted when older than the refit period), or null before a week of data.</summary>
    public TideFit? FitOf(string node, long now)
    {
        if (!_stations.TryGetValue(node, out Station? s))
        {
            return null;
        }

        if (s.Fit == null || now - s.FittedAt >= options.RefitMinutes * 60L)
        {
            s.Fit = TideFit.Fit(Series(node), now);
            s.FittedAt = now;
        }

        return s.Fit.Enough ? s.Fit : null;
    }

    /// <summary>
    /// The first crossing of <paramref name="threshold"/> expected within the horizon after <paramref name="now"/>, or
    /// null. With a tide fit: the fit plus its latest error (fading), 5-minute steps, the chance taken from the fit's
    /// residual spread at the highest point of the horizon. Without one: the last hour's slope, extrapolated no
    /// further than <see cref="OutlookOptions.SlopeHorizonMinutes"/>, with a fixed, modest chance (0.5).
    /// </summary>
    public PredictedCrossing? Crossing(string node, double threshold, long now)
    {
        if (!_stations.TryGetValue(node, out Station? s) || s.Recent.Count == 0)
        {
            return null;
        }

        long horizon = options.HorizonMinutes * 60L;
        TideFit? fit = FitOf(node, now);
        if (fit != null)
        {
            // The fit's error now (the last window's mean) and how fast it grows (against the window before): a front
            // lifts salinity above the fitted tide and keeps lifting it; only a growing error is carried as a trend.
            long window = options.ResidualWindowMinutes * 60L;
            double residual = Mean(s.Recent, fit, now - window, now);
            double before = Mean(s.Recent, fit, now - (2 * window), now - window);
            double trendPerHour = double.IsNaN(before) ? 0 : Math.Max(0, (residual - before) / (window / 3600.0));
            if (double.IsNaN(residual))
            {
                return null;
            }

            double sigma = Math.Max(fit.RmsPpt, 0.01);
            long? first = null;
            double peak = double.NegativeInfinity;
            for (long t = now + StepSeconds; t <= now + horizon; t += StepSeconds)
            {
                double ahead = (t - now) / 3600.0;
                double p = fit.Eval(t) + ((residual + (trendPerHour * Math.Min(ahead, options.TrendHours))) * Math.Exp(-ahead / options.ResidualDecayHours));
                peak = Math.Max(peak, p);
                if (first == null && p >= threshold)
                {
                    first = t;
                }
            }

            double chance = NormalCdf((peak - threshold) / sigma);
            if (chance < options.ClearProbability)
            {
                return null;
            }

            // The expected time: the central forecast's crossing, or (when only the upper spread reaches the level) the highest point.
            long at = first ?? PeakTime(fit, residual, trendPerHour, now, horizon);
            return new PredictedCrossing(at, threshold, Math.Round(chance, 2), "tide");
        }

        if (s.Slope.Count < 3 || s.Slope.Span < 30 * 60)
        {
            return null;
        }

        double rate = s.Slope.PerHour();
        (long lastTs, double last) = s.Recent.Last();
        if (rate <= 0 || last >= threshold)
        {
            return null;
        }

        double hours = (threshold - last) / rate;
        return hours * 60 <= Math.Min(options.SlopeHorizonMinutes, options.HorizonMinutes)
            ? new PredictedCrossing(lastTs + (long)(hours * 3600), threshold, 0.5, "trend")
            : null;
    }

    /// <summary>
    /// The learned relation from the station downstream of <paramref name="upstream"/> on its river (relearned every
    /// few hours from the last week), or null when there is none or the series do not follow each other well enough.
    /// </summary>
    public TravelRelation? RelationInto(string upstream, long now)
    {
        string? down = DownstreamOf(upstream);
        if (down == null)
        {
            return null;
        }

        _relations.TryGetValue(upstream, out TravelRelation? known);
        long tried = _relationTried.GetValueOrDefault(upstream, long.MinValue);
        if (tried != long.MinValue && now - tried < options.RefitMinutes * 60L)
        {
            return known;
        }

        _relationTried[upstream] = now;
        TravelRelation? learned = Learn(down, upstream, now);
        if (learned != null)
        {
            _relations[upstream] = learned;
        }

        return learned ?? known;
    }

    /// <summary>The node just downstream of <paramref name="node"/> on its river, or null.</summary>
    public string? DownstreamOf(string node)
    {
        foreach (string[] chain in options.Rivers.Values)
        {
            int i = Array.IndexOf(chain, node);
            if (i > 0)
            {
                return chain[i - 1];
            }
        }

        return null;
    }

    /// <summary>The node just upstream of <paramref name="node"/> on its river, or null.</summary>
    public string? UpstreamOf(string node)
    {
        foreach (string[] chain in options.Rivers.Values)
        {
            int i = Array.IndexOf(chain, node);
            if (i >= 0 && i < chain.Length - 1)
            {
                return chain[i + 1];
            }
        }

        return null;
    }

    /// <summary>
    /// Cross-correlation of the two stations' 15-minute series over the last week: the lag (0 to the configured
    /// maximum) at which the upstream series best follows the downstream one, then a least-squares line between them
    /// at that lag. Only a positive lag with a correlation over the configured minimum is trusted.
    /// </summary>
    private TravelRelation? Learn(string down, string up, long now)
    {
        long from = now - (7 * 86400L);
        Dictionary<long, double> d = Series(down, from).ToDictionary(p => p.Ts / BinSeconds, p => p.Ppt);
        Dictionary<long, double> u = Series(up, from).ToDictionary(p => p.Ts / BinSeconds, p => p.Ppt);
        int maxLag = (int)(options.UpstreamMaxLagHours * 3600 / BinSeconds);
        int minPairs = (int)(options.UpstreamMinDays * 86400 / BinSeconds);
        (int Lag, double R) best = (-1, double.NegativeInfinity);
        for (int lag = 1; lag <= maxLag; lag++)
        {
            double r = Correlation(d, u, lag, minPairs, out _, out _);
            if (r > best.R)
            {
                best = (lag, r);
            }
        }

        if (best.Lag < 1 || best.R < options.UpstreamMinCorrelation)
        {
            return null;
        }

        Correlation(d, u, best.Lag, minPairs, out double gain, out double offset);
        return new TravelRelation(down, up, best.Lag * BinSeconds / 3600.0, gain, offset, Math.Round(best.R, 3), now);
    }

    private static double Correlation(Dictionary<long, double> d, Dictionary<long, double> u, int lag, int minPairs, out double gain, out double offset)
    {
        double n = 0, sx = 0, sy = 0, sxx = 0, syy = 0, sxy = 0;
        foreach ((long bin, double y) in u)
        {
            if (d.TryGetValue(bin - lag, out double x))
            {
                n++;
                sx += x;
                sy += y;
                sxx += x * x;
                syy += y * y;
                sxy += x * y;
            }
        }

        gain = offset = 0;
        if (n < minPairs)
        {
            return double.NegativeInfinity;
        }

        double vx = (n * sxx) - (sx * sx), vy = (n * syy) - (sy * sy), cxy = (n * sxy) - (sx * sy);
        if (vx <= 1e-12 || vy <= 1e-12)
        {
            return double.NegativeInfinity;
        }

        gain = cxy / vx;
        offset = (sy - (gain * sx)) / n;
        return cxy / Math.Sqrt(vx * vy);
    }

    private static double Mean(Queue<(long Ts, double Ppt)> recent, TideFit fit, long from, long to)
    {
        double sum = 0;
        int n = 0;
        foreach ((long ts, double ppt) in recent)
        {
            if (ts > from && ts <= to)
            {
                sum += ppt - fit.Eval(ts);
                n++;
            }
        }

        return n == 0 ? double.NaN : sum / n;
    }

    private long PeakTime(TideFit fit, double residual, double trendPerHour, long now, long horizon)
    {
        long at = now;
        double peak = double.NegativeInfinity;
        for (long t = now + StepSeconds; t <= now + horizon; t += StepSeconds)
        {
            double ahead = (t - now) / 3600.0;
            double p = fit.Eval(t) + ((residual + (trendPerHour * Math.Min(ahead, options.TrendHours))) * Math.Exp(-ahead / options.ResidualDecayHours));
            if (p > peak)
            {
                peak = p;
                at = t;
            }
        }

        return at;
    }

    /// <summary>Standard normal CDF (Abramowitz and Stegun 7.1.26 for erf, error under 1.5e-7): no statistics library is referenced by the core for one function.</summary>
    public static double NormalCdf(double z)
    {
        double x = Math.Abs(z) / Math.Sqrt(2);
        double t = 1 / (1 + (0.3275911 * x));
        double poly = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        double erf = 1 - (poly * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    private Station Get(string node)
    {
        if (!_stations.TryGetValue(node, out Station? s))
        {
            s = new Station();
            _stations[node] = s;
        }

        return s;
    }

    private sealed class Station
    {
        // Two weeks of 15-minute bins a station, 1,344 each: an int bin number (not a long) keeps 5 KB a station less,
        // 5 MB at 1,000 stations (issue 33's memory, measured with dotnet-dump).
        public int[] BinIndex { get; } = Enumerable.Repeat(int.MinValue, Bins).ToArray();

        public double[] Sum { get; } = new double[Bins];

        public int[] Count { get; } = new int[Bins];

        public Queue<(long Ts, double Ppt)> Recent { get; } = new();

        public RunningSlope Slope { get; } = new(3600);

        public long LastTs { get; set; } = long.MinValue;

        public TideFit? Fit { get; set; }

        public long FittedAt { get; set; }
    }
}
