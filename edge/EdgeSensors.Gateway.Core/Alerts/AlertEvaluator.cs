namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// The alert rules, as pure logic over per-node state (no storage, no clock of its own), so scripted series test it:
/// salinity against the node's crop profile, rising fast (least-squares slope over a window), level high and low,
/// stale nodes, and sensor faults reported in status.
/// </summary>
public sealed class AlertEvaluator
{
    private readonly AlertOptions _options;
    private readonly IReadOnlyList<CropProfile> _profiles;
    private readonly Dictionary<string, NodeState> _nodes = [];
    private readonly SalinityOutlook? _outlook;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Node, string Profile), VerdictState> _verdicts = new();
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (double Ppt, long Ts)> _lastSalinity = new(StringComparer.Ordinal);

    public AlertEvaluator(AlertOptions options)
    {
        _options = options;
        if (options.Outlook.Problem() is string outlookProblem)
        {
            throw new ArgumentException(outlookProblem);
        }

        _outlook = options.Outlook.Enabled ? new SalinityOutlook(options.Outlook) : null;
        var profiles = CropProfiles.Defaults.ToDictionary(p => p.Id);
        foreach (CropProfileOptions p in options.Profiles)
        {
            profiles[p.Id] = p.ToProfile();
        }

        _profiles = profiles.Values.ToList();
        foreach (CropProfile p in _profiles)
        {
            if (p.Problem() is string problem)
            {
                throw new ArgumentException("Alerts:Profiles: " + problem);
            }
        }

        if (CropProfiles.Find(_profiles, options.DefaultProfile) == null)
        {
            throw new ArgumentException($"Alerts:DefaultProfile '{options.DefaultProfile}' is not a known profile ({string.Join(", ", _profiles.Select(p => p.Id))})");
        }
    }

    public IReadOnlyList<CropProfile> Profiles => _profiles;

    /// <summary>The stations' forecasts (null when <see cref="OutlookOptions.Enabled"/> is off).</summary>
    public SalinityOutlook? Outlook => _outlook;

    /// <summary>Feeds history (15-minute means from the store at start-up) to the forecasts without judging it.</summary>
    public void Preload(string node, IEnumerable<(long Ts, double Ppt)> history)
    {
        if (_outlook == null)
        {
            return;
        }

        foreach ((long ts, double ppt) in history)
        {
            _outlook.Observe(node, ts, ppt);
        }
    }

    /// <summary>The profile that applies to a node (its own, its zone's, or the default).</summary>
    public CropProfile ProfileFor(string node)
    {
        string id = _options.DefaultProfile;
        if (_options.NodeProfiles.TryGetValue(node, out string? own))
        {
            id = own;
        }
        else
        {
            foreach (var zone in _options.Zones)
            {
                if (zone.Value.Contains(node) && _options.NodeProfiles.TryGetValue(zone.Key, out string? zoneProfile))
                {
                    id = zoneProfile;
                }
            }
        }

        return CropProfiles.Find(_profiles, id) ?? CropProfiles.Find(_profiles, _options.DefaultProfile)!;
    }

    /// <summary>The current level of a node's alert of a kind.</summary>
    public AlertLevel Level(string node, AlertKind kind) => _nodes.TryGetValue(node, out NodeState? s) ? s.Level(kind) : AlertLevel.None;

    /// <summary>Restores an active alert after a restart (<paramref name="since"/>: when it was raised).</summary>
    public void Restore(string node, AlertKind kind, AlertLevel level, long? since = null)
    {
        NodeState s = State(node);
        s.Restore(kind, level);
        if (kind == AlertKind.Salinity && since != null)
        {
            s.Crop(ProfileFor(node).Id).Since = since;
        }
    }

    /// <summary>
    /// The station's answer for a crop (issue 30): any profile, not only the station's own — each has its tracker
    /// fed by the same readings and rules; the station's own is the salinity alert's. Null before any reading.
    /// Safe to call from any thread (a snapshot taken after each reading).
    /// </summary>
    public IntakeVerdict? Verdict(string node, string profile) =>
        _verdicts.TryGetValue((node, profile), out VerdictState state) && CropProfiles.Find(_profiles, profile) is CropProfile p
            ? IntakeVerdict.Of(node, p, state, _lastSalinity.TryGetValue(node, out var last) ? last.Ppt : null, _lastSalinity.TryGetValue(node, out last) ? last.Ts : null)
            : null;

    private void Keep(string node, string profile, VerdictState state)
    {
        if (!_verdicts.TryGetValue((node, profile), out VerdictState old) || old != state)
        {
            _verdicts[(node, profile)] = state;
        }
    }

    /// <summary>Raised (on the caller's thread, inside <see cref="OnReading"/>) when a station's level for any crop changes.</summary>
    public event Action<VerdictChange>? VerdictChanged;

    /// <summary>
    /// Replays the last readings (value, measured, received) into the trackers of the crops other than the station's
    /// own after a restart — the own one is restored from its active alert — so every crop's answer, hold included,
    /// is what it was. Raises nothing.
    /// </summary>
    public void PreloadVerdicts(string node, IEnumerable<(double Ppt, long Ts, long Rx)> readings)
    {
        NodeState s = State(node);
        CropProfile own = ProfileFor(node);
        LevelTracker ownTracker = s.Salinity(own, _options);
        bool any = false;
        foreach ((double ppt, long ts, long rx) in readings)
        {
            foreach (CropProfile p in _profiles)
            {
                if (p.Id != own.Id && s.CropTracker(p, _options).Update(ppt, rx))
                {
                    s.Crop(p.Id).Since = rx;
                }
            }

            _lastSalinity[node] = (ppt, ts);
            any = true;
        }

        if (any)
        {
            foreach (CropProfile p in _profiles)
            {
                Keep(node, p.Id, VerdictState.Of(p.Id == own.Id ? ownTracker : s.CropTracker(p, _options), s.Crop(p.Id).Since));
            }
        }
    }

    /// <summary>
    /// A committed reading taken at <paramref name="ts"/> and received at <paramref name="receivedAt"/> (defaults to
    /// ts). The level rules' timing (minimum duration, hold before reopening) runs on the receive time, the gateway's
    /// clock: a node chooses its samples' times, so back-dating must not make one message look like an hour of
    /// readings. The rising-fast slope uses the samples' own times (a rate of change is a physical quantity), and
    /// its alert stays below the relay's level.
    /// </summary>
    public List<AlertTransition> OnReading(string node, long ts, double? salinity, double? level, long? receivedAt = null)
    {
        var changes = new List<AlertTransition>();
        NodeState s = State(node);
        s.LastSeen = Math.Max(s.LastSeen, receivedAt ?? ts);
        if (s.Level(AlertKind.Stale) != AlertLevel.None)
        {
            s.SetLevel(AlertKind.Stale, AlertLevel.None);
            changes.Add(new AlertTransition(node, AlertKind.Stale, AlertLevel.Warning, AlertLevel.None, 0, 0, ts, null));
        }

        CropProfile profile = ProfileFor(node);
        long judged = receivedAt ?? ts;
        if (salinity is double sp)
        {
            LevelTracker t = s.Salinity(profile, _options);
            AlertLevel before = t.Current;
            bool ownChanged = t.Update(sp, judged);
            if (ownChanged)
            {
                changes.Add(new AlertTransition(node, AlertKind.Salinity, before, t.Current, sp, t.ThresholdOf(t.Current == AlertLevel.None ? before : t.Current), ts, profile.Id));
            }

            // Every crop's answer from the same reading and rules; the station's own crop's is the alert's tracker.
            foreach (CropProfile p in _profiles)
            {
                bool own = p.Id == profile.Id;
                LevelTracker tracker = own ? t : s.CropTracker(p, _options);
                CropState c = s.Crop(p.Id);
                AlertLevel was = own ? before : tracker.Current;
                if (own ? ownChanged : tracker.Update(sp, judged))
                {
                    c.Since = judged;
                    VerdictChanged?.Invoke(new VerdictChange(node, p.Id, was, tracker.Current, sp, ts, judged));
                }

                Keep(node, p.Id, VerdictState.Of(tracker, c.Since));
            }

            _lastSalinity[node] = (sp, ts);

            s.History ??= new RunningSlope(_options.RiseWindowMinutes * 60L);
            s.History.Add(ts, sp);
            double rate = s.History.PerHour();
            if (s.History.Count >= 3 && s.History.Span >= _options.RiseWindowMinutes * 30L)
            {
                // Rising fast only matters once the water is getting salty for this crop: from half the watch level.
                double effective = sp >= profile.Watch / 2 ? rate : 0;
                LevelTracker r = s.Rising(_options);
                before = r.Current;
                if (r.Update(effective, ts))
                {
                    changes.Add(new AlertTransition(node, AlertKind.SalinityRising, before, r.Current, Math.Round(rate, 3), _options.RisePptPerHour, ts, profile.Id));
                }
            }
        }

        if (_outlook != null && salinity is double observed)
        {
            _outlook.Observe(node, ts, observed);
            changes.AddRange(ForecastStep(node, s, profile, ts));
            changes.AddRange(UpstreamArrived(node, s, profile, ts, observed));
            if (_outlook.UpstreamOf(node) is string up)
            {
                changes.AddRange(UpstreamStep(up, node, ts, observed));
            }
        }

        if (level is double lv)
        {
            if (_options.LevelHighM is double high)
            {
                LevelTracker t = s.Tracker(AlertKind.LevelHigh, () => new LevelTracker([double.NaN, high, double.NaN], true, 0.05, _options.MinConsecutiveReadings, _options.MinDurationSeconds));
                AlertLevel before = t.Current;
                if (t.Update(lv, judged))
                {
                    changes.Add(new AlertTransition(node, AlertKind.LevelHigh, before, t.Current, lv, high, ts, null));
                }
            }

            if (_options.LevelLowM is double low)
            {
                LevelTracker t = s.Tracker(AlertKind.LevelLow, () => new LevelTracker([low, double.NaN, double.NaN], false, 0.05, _options.MinConsecutiveReadings, _options.MinDurationSeconds));
                AlertLevel before = t.Current;
                if (t.Update(lv, judged))
                {
                    changes.Add(new AlertTransition(node, AlertKind.LevelLow, before, t.Current, lv, low, ts, null));
                }
            }
        }

        return changes;
    }

    /// <summary>
    /// The predicted-crossing alert (issue 31): raised (watch level: amber, never the relay) when the station's forecast
    /// gives at least <see cref="OutlookOptions.RaiseProbability"/> that salinity reaches the crop's next level — warning,
    /// or danger once at warning — within the horizon; cleared when the level is reached (the salinity alert takes over)
    /// or the chance falls under <see cref="OutlookOptions.ClearProbability"/>. Value: the expected time (unix s).
    /// </summary>
    private List<AlertTransition> ForecastStep(string node, NodeState s, CropProfile profile, long ts)
    {
        AlertLevel current = s.Salinity(profile, _options).Current;
        double? target = current < AlertLevel.Warning ? profile.Warning : current < AlertLevel.Danger ? profile.Danger : null;
        OutlookState f = s.Forecast;
        if (f.Active && double.IsNaN(f.Threshold))
        {
            f.Threshold = target ?? profile.Danger;
        }

        if (f.Active && (target == null || target.Value > f.Threshold + 1e-9))
        {
            f.Active = false;
            return [new AlertTransition(node, AlertKind.SalinityForecast, AlertLevel.Watch, AlertLevel.None, f.ExpectedAt, f.Threshold, ts, profile.Id, "arrived")];
        }

        PredictedCrossing? c = target is double thr ? _outlook!.Crossing(node, thr, ts) : null;
        if (!f.Active && c != null && c.Probability >= _options.Outlook.RaiseProbability)
        {
            f.Active = true;
            f.Threshold = c.ThresholdPpt;
            f.ExpectedAt = c.At;
            return [new AlertTransition(node, AlertKind.SalinityForecast, AlertLevel.None, AlertLevel.Watch, c.At, c.ThresholdPpt, ts, profile.Id, Detail(c))];
        }

        if (f.Active && c == null)
        {
            f.Active = false;
            return [new AlertTransition(node, AlertKind.SalinityForecast, AlertLevel.Watch, AlertLevel.None, f.ExpectedAt, f.Threshold, ts, profile.Id, "receded")];
        }

        if (f.Active && c != null)
        {
            f.ExpectedAt = c.At;
        }

        return [];
    }

    private static string Detail(PredictedCrossing c) =>
        c.Basis + ";p=" + c.Probability.ToString("0.00", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>
    /// The upstream warning (issue 31): a reading downstream, through the learned relation up(t + lag) ≈ gain·down(t) +
    /// offset, says the upstream station will pass its crop's warning level in about the travel time. Raised once per
    /// episode; cleared when the salt has arrived (the station's own salinity alert) or two downstream readings in a
    /// row no longer say so. Value: the expected time (unix s); detail: "{downstream node}|{travel hours}".
    /// </summary>
    private List<AlertTransition> UpstreamStep(string up, string down, long ts, double downPpt)
    {
        TravelRelation? rel = _outlook!.RelationInto(up, ts);
        NodeState us = State(up);
        CropProfile profile = ProfileFor(up);
        AlertLevel current = us.Salinity(profile, _options).Current;
        OutlookState u = us.Upstream;
        if (u.Active && double.IsNaN(u.Threshold))
        {
            u.Threshold = profile.Warning;
        }

        if (rel == null || current >= AlertLevel.Warning)
        {
            return [];
        }

        double expected = (rel.Gain * downPpt) + rel.OffsetPpt;
        long at = ts + (long)(rel.LagHours * 3600);
        if (!u.Active && expected >= profile.Warning)
        {
            u.Active = true;
            u.Misses = 0;
            u.Threshold = profile.Warning;
            u.ExpectedAt = at;
            string detail = down + "|" + rel.LagHours.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture);
            return [new AlertTransition(up, AlertKind.SalinityUpstream, AlertLevel.None, AlertLevel.Watch, at, profile.Warning, ts, profile.Id, detail)];
        }

        if (u.Active && expected < profile.Warning - Math.Min(_options.HysteresisPpt, profile.Warning / 4))
        {
            if (++u.Misses >= _options.MinConsecutiveReadings)
            {
                u.Active = false;
                return [new AlertTransition(up, AlertKind.SalinityUpstream, AlertLevel.Watch, AlertLevel.None, u.ExpectedAt, u.Threshold, ts, profile.Id, "receded")];
            }
        }
        else if (u.Active)
        {
            u.Misses = 0;
        }

        return [];
    }

    /// <summary>An upstream warning ends when the salt has arrived: the station's own salinity alert has reached warning.</summary>
    private List<AlertTransition> UpstreamArrived(string node, NodeState s, CropProfile profile, long ts, double ppt)
    {
        OutlookState u = s.Upstream;
        if (u.Active && double.IsNaN(u.Threshold))
        {
            u.Threshold = profile.Warning;
        }

        if (u.Active && s.Salinity(profile, _options).Current >= AlertLevel.Warning)
        {
            u.Active = false;
            return [new AlertTransition(node, AlertKind.SalinityUpstream, AlertLevel.Watch, AlertLevel.None, u.ExpectedAt, u.Threshold, ts, profile.Id, "arrived")];
        }

        return [];
    }

    /// <summary>A status message: sensor faults raise a watch-level alert until the node reports none; the interval sets the stale limit.</summary>
    public List<AlertTransition> OnStatus(string node, long ts, IReadOnlyList<string> reported, int? intervalSeconds)
    {
        // Fault codes reach the public alerts: only the node program's own vocabulary is shown; anything else (a stolen
        // node writing "water is fresh, open the gate") still raises the fault alert, under a fixed name.
        var faults = reported.Where(EdgeSensors.Node.Filters.FaultCodes.IsKnown).Distinct().ToList();
        if (faults.Count < reported.Count && reported.Any(f => !EdgeSensors.Node.Filters.FaultCodes.IsKnown(f)))
        {
            faults.Add(EdgeSensors.Node.Filters.FaultCodes.Unrecognised);
        }

        NodeState s = State(node);
        if (intervalSeconds is int i && i > 0)
        {
            s.IntervalSeconds = i;
        }

        AlertLevel wanted = faults.Count > 0 ? AlertLevel.Watch : AlertLevel.None;
        AlertLevel before = s.Level(AlertKind.SensorFault);
        if (wanted == before)
        {
            return [];
        }

        s.SetLevel(AlertKind.SensorFault, wanted);
        return [new AlertTransition(node, AlertKind.SensorFault, before, wanted, faults.Count, 0, ts, null, string.Join(", ", faults))];
    }

    /// <summary>
    /// The gateway's enclosure temperature (°C, from its BME280): a sunlit box cooks the UPS cells and throttles the
    /// Pi long before anything fails outright. Levels from <see cref="AlertOptions"/>, 2 °C hysteresis.
    /// </summary>
    public List<AlertTransition> OnEnclosure(string gateway, long ts, double celsius)
    {
        LevelTracker t = State(gateway).Tracker(AlertKind.EnclosureTemperature, () => new LevelTracker(
            [_options.EnclosureWatchC, _options.EnclosureWarningC, _options.EnclosureDangerC], true, 2.0, _options.MinConsecutiveReadings, 0));
        AlertLevel before = t.Current;
        return t.Update(celsius, ts)
            ? [new AlertTransition(gateway, AlertKind.EnclosureTemperature, before, t.Current, Math.Round(celsius, 1), t.ThresholdOf(t.Current == AlertLevel.None ? before : t.Current), ts, null)]
            : [];
    }

    /// <summary>
    /// The gateway's mains supply, from its UPS's AC-fail contact: lost mains is a warning (the gateway, its lights and
    /// the SMS modem now live on the backup battery, for hours, not days), raised and cleared once per change.
    /// </summary>
    public List<AlertTransition> OnMains(string gateway, long ts, bool mainsPresent)
    {
        NodeState s = State(gateway);
        AlertLevel before = s.Level(AlertKind.PowerCut);
        AlertLevel wanted = mainsPresent ? AlertLevel.None : AlertLevel.Warning;
        if (wanted == before)
        {
            return [];
        }

        s.SetLevel(AlertKind.PowerCut, wanted);
        return [new AlertTransition(gateway, AlertKind.PowerCut, before, wanted, mainsPresent ? 1 : 0, 1, ts, null)];
    }

    /// <summary>Registers a node to watch for silence from now on (so a node that never reports is stale too).</summary>
    public void Watch(string node, long since)
    {
        NodeState s = State(node);
        if (s.LastSeen == long.MinValue)
        {
            s.LastSeen = since;
        }
    }

    /// <summary>Periodic check for nodes gone quiet.</summary>
    public List<AlertTransition> OnTick(long now)
    {
        var changes = new List<AlertTransition>();
        foreach (var (node, s) in _nodes)
        {
            long limit = (long)(_options.StaleMultiple * (s.IntervalSeconds ?? _options.DefaultIntervalSeconds));
            if (s.LastSeen != long.MinValue && now - s.LastSeen > limit && s.Level(AlertKind.Stale) == AlertLevel.None)
            {
                s.SetLevel(AlertKind.Stale, AlertLevel.Warning);
                changes.Add(new AlertTransition(node, AlertKind.Stale, AlertLevel.None, AlertLevel.Warning, now - s.LastSeen, limit, now, null));
            }
        }

        return changes;
    }

    private NodeState State(string node)
    {
        if (!_nodes.TryGetValue(node, out NodeState? s))
        {
            s = new NodeState();
            _nodes[node] = s;
        }

        return s;
    }

    private sealed class NodeState
    {
        private readonly Dictionary<AlertKind, LevelTracker> _trackers = [];
        private readonly Dictionary<AlertKind, AlertLevel> _simple = [];
        private readonly Dictionary<AlertKind, AlertLevel> _pending = [];
        private string? _salinityProfile;
        private readonly Dictionary<string, LevelTracker> _crops = new(StringComparer.Ordinal);
        private readonly Dictionary<string, CropState> _cropStates = new(StringComparer.Ordinal);

        /// <summary>The salinity tracker of a crop other than the station's own (issue 30: the answer for any crop).</summary>
        public LevelTracker CropTracker(CropProfile p, AlertOptions o)
        {
            if (!_crops.TryGetValue(p.Id, out LevelTracker? t))
            {
                t = SalinityTracker(p, o);
                _crops[p.Id] = t;
            }

            return t;
        }

        public CropState Crop(string profile)
        {
            if (!_cropStates.TryGetValue(profile, out CropState? c))
            {
                c = new CropState();
                _cropStates[profile] = c;
            }

            return c;
        }

        /// <summary>Last reading's receive time; long.MinValue until the node is watched or reports.</summary>
        public long LastSeen { get; set; } = long.MinValue;

        public int? IntervalSeconds { get; set; }

        public RunningSlope? History { get; set; }

        public OutlookState Forecast { get; } = new();

        public OutlookState Upstream { get; } = new();

        public LevelTracker Salinity(CropProfile p, AlertOptions o)
        {
            if (_salinityProfile != p.Id || !_trackers.TryGetValue(AlertKind.Salinity, out LevelTracker? old))
            {
                AlertLevel keep = _trackers.TryGetValue(AlertKind.Salinity, out old) ? old.Current : _pending.GetValueOrDefault(AlertKind.Salinity);
                var t = SalinityTracker(p, o);
                t.Restore(keep);
                _trackers[AlertKind.Salinity] = t;
                _salinityProfile = p.Id;
            }

            return _trackers[AlertKind.Salinity];
        }

        /// <summary>
        /// The salinity levels of a profile. Each is left a hysteresis below it — at most a quarter of the threshold,
        /// so 0.3 ‰ watch levels still clear in fresh water — and warning only below the profile's reopening level,
        /// held for its time: the "falling below" rule that tells the farmer the sluice may be opened again.
        /// </summary>
        public static LevelTracker SalinityTracker(CropProfile p, AlertOptions o)
        {
            double Release(double threshold) => threshold - Math.Min(o.HysteresisPpt, threshold / 4);
            double[] releases = [Release(p.Watch), Math.Min(Release(p.Warning), p.ReopenBelow), Release(p.Danger)];
            long[] holds = [0, p.ReopenHoldMinutes * 60L, 0];
            return new LevelTracker([p.Watch, p.Warning, p.Danger], true, o.HysteresisPpt, o.MinConsecutiveReadings, o.MinDurationSeconds, releases, holds);
        }

        public LevelTracker Rising(AlertOptions o) =>
            Tracker(AlertKind.SalinityRising, () => new LevelTracker([o.RisePptPerHour, 2 * o.RisePptPerHour, double.NaN], true, o.RisePptPerHour / 2, o.MinConsecutiveReadings, 0));

        public LevelTracker Tracker(AlertKind kind, Func<LevelTracker> make)
        {
            if (!_trackers.TryGetValue(kind, out LevelTracker? t))
            {
                t = make();
                if (_pending.Remove(kind, out AlertLevel restored))
                {
                    t.Restore(restored);
                }

                _trackers[kind] = t;
            }

            return t;
        }

        public AlertLevel Level(AlertKind kind) => kind switch
        {
            AlertKind.SalinityForecast => Forecast.Active ? AlertLevel.Watch : AlertLevel.None,
            AlertKind.SalinityUpstream => Upstream.Active ? AlertLevel.Watch : AlertLevel.None,
            _ => _trackers.TryGetValue(kind, out LevelTracker? t) ? t.Current : _simple.GetValueOrDefault(kind),
        };

        public void SetLevel(AlertKind kind, AlertLevel level) => _simple[kind] = level;

        public void Restore(AlertKind kind, AlertLevel level)
        {
            if (kind is AlertKind.SalinityForecast or AlertKind.SalinityUpstream)
            {
                // Active, its level learned at the next evaluation, which keeps or clears it (a stale forecast must not
                // survive a restart, nor be raised twice).
                OutlookState o = kind == AlertKind.SalinityForecast ? Forecast : Upstream;
                o.Active = level != AlertLevel.None;
                o.Threshold = double.NaN;
                return;
            }

            if (kind is AlertKind.Stale or AlertKind.SensorFault)
            {
                _simple[kind] = level;
            }
            else if (_trackers.TryGetValue(kind, out LevelTracker? t))
            {
                t.Restore(level);
            }
            else
            {
                _pending[kind] = level;
            }
        }
    }

    /// <summary>What a crop's answer needs beside its tracker: when its level last changed.</summary>
    private sealed class CropState
    {
        public long? Since { get; set; }
    }

    /// <summary>One forecast alert's state: active, the level it is about, when that level is expected, and readings that no longer say so.</summary>
    private sealed class OutlookState
    {
        public bool Active { get; set; }

        public double Threshold { get; set; }

        public long ExpectedAt { get; set; }

        public int Misses { get; set; }
    }
}
