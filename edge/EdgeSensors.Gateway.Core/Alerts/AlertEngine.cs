using System.Text.Json;
using System.Threading.Channels;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Feeds committed readings and node status into the <see cref="AlertEvaluator"/>, in order, stores each transition,
/// sends it to the IOC through the uplink's priority lane, and tells the page and the GPIO signals.
/// </summary>
public sealed class AlertEngine : BackgroundService
{
    private readonly AlertEvaluator _evaluator;
    private readonly IAlertStore _alerts;
    private readonly IOutboundLane _outbound;
    private readonly IocMessageEncoder _encoder;
    private readonly INodeDirectory _registry;
    private readonly LiveFeed _live;
    private readonly IReadingFeed _store;
    private readonly INodeStatusFeed _statusFeed;
    private readonly ILogger<AlertEngine> _log;
    private readonly Channel<Func<List<AlertTransition>>> _work = Channel.CreateUnbounded<Func<List<AlertTransition>>>(new UnboundedChannelOptions { SingleReader = true });

    private readonly IReadingQueries? _history;
    private readonly SamplingPlanner _sampling;
    private readonly Dictionary<string, (double? BatteryVolts, bool Mains, int? Own)> _power = new(StringComparer.Ordinal);
    private readonly Dictionary<string, bool> _rising = new(StringComparer.Ordinal);

    public AlertEngine(IOptions<AlertOptions> options, IAlertStore alerts, IOutboundLane outbound, IocMessageEncoder encoder, INodeDirectory registry, LiveFeed live, IReadingFeed store, INodeStatusFeed statusFeed, ILogger<AlertEngine> log,
        IReadingQueries? history = null, IOptions<SamplingOptions>? sampling = null)
    {
        _evaluator = new AlertEvaluator(options.Value);
        _history = history;
        _sampling = new SamplingPlanner(sampling?.Value ?? new SamplingOptions { Enabled = false });
        _alerts = alerts;
        _outbound = outbound;
        _encoder = encoder;
        _registry = registry;
        _live = live;
        _store = store;
        _statusFeed = statusFeed;
        _log = log;
        _store.Committed += OnCommitted;
        _statusFeed.StatusReceived += OnStatus;
    }

    /// <summary>Raised after any alert changed (the GPIO signals recompute the highest level).</summary>
    public event Action? Changed;

    /// <summary>The sampling interval each battery node should have now, decided after its readings (applied by <see cref="UseCases.AdaptiveSampling"/>).</summary>
    public Channel<(string Node, SamplingDecision Decision)> SamplingDecisions { get; } = Channel.CreateBounded<(string, SamplingDecision)>(new BoundedChannelOptions(1024) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true });

    public AlertEvaluator Evaluator => _evaluator;

    /// <summary>
    /// Highest level among active alerts, for the lights and buzzer. A hot enclosure shows at most amber: red and
    /// the buzzer tell farmers not to take water, which a hot box does not mean.
    /// </summary>
    public AlertLevel HighestActive() =>
        _alerts.List(activeOnly: true, 1000)
            .Select(a => (Level: Enum.Parse<AlertLevel>(a.Level, ignoreCase: true), a.Kind))
            .Select(a => (a.Kind == AlertKinds.WireName(AlertKind.EnclosureTemperature) || a.Kind == AlertKinds.WireName(AlertKind.PowerCut)) && a.Level > AlertLevel.Watch ? AlertLevel.Watch : a.Level)
            .DefaultIfEmpty(AlertLevel.None).Max();

    /// <summary>
    /// The lamps' level and whether amber blinks: it does when watch is the highest level and every watch-level alert
    /// is a forecast (predicted crossing or salt coming from downstream), so "salt is coming" looks different from
    /// "the water is getting salty".
    /// </summary>
    public (AlertLevel Level, bool Blink) Signal()
    {
        string forecast = AlertKinds.WireName(AlertKind.SalinityForecast), upstream = AlertKinds.WireName(AlertKind.SalinityUpstream);
        var active = _alerts.List(activeOnly: true, 1000)
            .Select(a => (Level: Enum.Parse<AlertLevel>(a.Level, ignoreCase: true), a.Kind))
            .Select(a => (Level: (a.Kind == AlertKinds.WireName(AlertKind.EnclosureTemperature) || a.Kind == AlertKinds.WireName(AlertKind.PowerCut)) && a.Level > AlertLevel.Watch ? AlertLevel.Watch : a.Level, a.Kind))
            .ToList();
        AlertLevel highest = active.Select(a => a.Level).DefaultIfEmpty(AlertLevel.None).Max();
        bool blink = highest == AlertLevel.Watch && active.Where(a => a.Level == AlertLevel.Watch).All(a => a.Kind == forecast || a.Kind == upstream);
        return (highest, blink);
    }

    /// <summary>An operator acknowledges an alert (recorded, sent to the IOC).</summary>
    public async Task<AlertRecord?> AcknowledgeAsync(long id, string by, CancellationToken ct)
    {
        AlertRecord? a = await _alerts.AcknowledgeAsync(id, by, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), ct).ConfigureAwait(false);
        if (a != null)
        {
            await _outbound.EnqueueAsync(AlertStep.From(a, "acknowledged"), ct).ConfigureAwait(false);
            _live.Publish("alert", JsonSerializer.Serialize(a, JsonOptions));
            Changed?.Invoke();
        }

        return a;
    }

    public override void Dispose()
    {
        _store.Committed -= OnCommitted;
        _statusFeed.StatusReceived -= OnStatus;
        base.Dispose();
    }

    internal static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (AlertRecord a in _alerts.List(activeOnly: true, 10000))
        {
            AlertKind kind = Enum.GetValues<AlertKind>().First(k => AlertKinds.WireName(k) == a.Kind);
            _evaluator.Restore(a.Node, kind, Enum.Parse<AlertLevel>(a.Level, ignoreCase: true), a.RaisedAt);
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        foreach (NodeRecord n in _registry.List())
        {
            _evaluator.Watch(n.Id, now);

            // Every crop's answer (the page's, for the crop a farmer picks) from the last two days' readings: the
            // longest reopening holds are a day; the station's own crop was restored from its alert above.
            if (_history != null)
            {
                _evaluator.PreloadVerdicts(n.Id, _history.Latest(n.Id, 2000)
                    .Where(r => r.Rx >= now - (2 * 86400L) && r.Get(StoredReading.Salinity) != null)
                    .OrderBy(r => r.Id)
                    .Select(r => (r.Get(StoredReading.Salinity)!.Value, r.Ts, r.Rx)));
            }

            // The forecasts need the stations' last two weeks (15-minute means): from the store, not judged again.
            if (_history != null && _evaluator.Outlook != null)
            {
                _evaluator.Preload(n.Id, _history.History(n.Id, now - (SalinityOutlook.KeepDays * 86400L), now + 60, SalinityOutlook.BinSeconds)
                    .Where(p => p.SalinityPpt != null).Select(p => (p.Ts, p.SalinityPpt!.Value)));
            }
        }

        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(10));
        Task<bool> nextTick = tick.WaitForNextTickAsync(stoppingToken).AsTask();
        while (!stoppingToken.IsCancellationRequested)
        {
            Task<bool> nextWork = _work.Reader.WaitToReadAsync(stoppingToken).AsTask();
            Task done = await Task.WhenAny(nextWork, nextTick).ConfigureAwait(false);
            try
            {
                if (done == nextTick)
                {
                    await HandleAsync(_evaluator.OnTick(DateTimeOffset.UtcNow.ToUnixTimeSeconds()), stoppingToken).ConfigureAwait(false);
                    nextTick = tick.WaitForNextTickAsync(stoppingToken).AsTask();
                }

                bool judged = false;
                while (_work.Reader.TryRead(out Func<List<AlertTransition>>? item))
                {
                    await HandleAsync(item(), stoppingToken).ConfigureAwait(false);
                    judged = true;
                }

                if (judged && _live.HasSubscribers)
                {
                    // The stations' answers (and any alert they changed) are up to date: the page fetches them now,
                    // not on the reading itself, which comes before the engine has judged it.
                    _live.Publish("judged", "{}");
                }
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is System.Data.Common.DbException or IOException or InvalidOperationException)
            {
                // A store that cannot write must not stop the gateway (an unhandled exception in a hosted service ends
                // the host): the alert that could not be stored is logged; the next change of its level is stored.
                _log.LogError(AlertEvents.Transition, "An alert change could not be stored: {Reason}", ex.Message);
            }
        }
    }

    private void OnCommitted(IReadOnlyList<StoredReading> readings)
    {
        if (_live.HasSubscribers)
        {
            foreach (StoredReading r in readings)
            {
                _live.Publish("reading", $"{{\"node\":\"{r.Node}\",\"ts\":{r.Ts},\"q\":\"{r.Quality}\",\"r\":{r.FieldsJson}}}");
            }
        }

        _work.Writer.TryWrite(() =>
        {
            var changes = new List<AlertTransition>();
            var latest = new Dictionary<string, StoredReading>(StringComparer.Ordinal);
            foreach (StoredReading r in readings)
            {
                changes.AddRange(_evaluator.OnReading(r.Node, r.Ts, r.Get(StoredReading.Salinity), r.Get(StoredReading.Level), r.Rx));
                latest[r.Node] = r;
            }

            foreach (AlertTransition t in changes.Where(t => t.Kind == AlertKind.SalinityRising))
            {
                _rising[t.Node] = t.To != AlertLevel.None;
            }

            foreach ((string node, StoredReading r) in latest)
            {
                (double? volts, bool mains, int? own) = _power.GetValueOrDefault(node);
                SamplingDecision? d = _sampling.Decide(node, new SamplingInput(
                    _evaluator.Level(node, AlertKind.Salinity), _evaluator.Level(node, AlertKind.SalinityForecast) != AlertLevel.None,
                    _evaluator.Level(node, AlertKind.SalinityUpstream) != AlertLevel.None, _rising.GetValueOrDefault(node),
                    r.Get(StoredReading.Salinity), _evaluator.ProfileFor(node).Warning, volts, mains, r.Rx, own));
                if (d != null)
                {
                    SamplingDecisions.Writer.TryWrite((node, d));
                }
            }

            return changes;
        });
    }

    /// <summary>The enclosure's temperature, from the signal service's BME280, judged against the enclosure levels.</summary>
    public void OnEnclosure(string gateway, DateTimeOffset at, double celsius) =>
        _work.Writer.TryWrite(() => _evaluator.OnEnclosure(gateway, at.ToUnixTimeSeconds(), celsius));

    /// <summary>The UPS's AC-fail contact changed (after its debounce).</summary>
    public void OnMains(string gateway, DateTimeOffset at, bool mainsPresent) =>
        _work.Writer.TryWrite(() => _evaluator.OnMains(gateway, at.ToUnixTimeSeconds(), mainsPresent));

    private void OnStatus(string node, JsonElement status)
    {
        var faults = status.TryGetProperty("faults", out JsonElement f) && f.ValueKind == JsonValueKind.Array
            ? f.EnumerateArray().Select(x => x.ValueKind == JsonValueKind.String ? x.GetString() ?? string.Empty : string.Empty).ToList()
            : [];
        int? interval = status.TryGetProperty("interval_s", out JsonElement i) && i.TryGetInt32(out int iv) ? iv : null;
        bool online = !status.TryGetProperty("online", out JsonElement o) || o.ValueKind != JsonValueKind.False;
        if (!online)
        {
            return; // an offline will says nothing about sensors; silence is judged by the stale rule
        }

        double? volts = status.TryGetProperty("bat_v", out JsonElement b) && b.TryGetDouble(out double bv) ? bv : null;
        bool mains = status.TryGetProperty("mode", out JsonElement m) && m.ValueKind == JsonValueKind.String && m.GetString() == "always_on";
        // The node's own interval: what it reports while its retained config sets none (the gateway's change withdrawn, it is back).
        bool remoteInterval = _registry.Find(node)?.Config?.Contains("\"interval_s\"", StringComparison.Ordinal) ?? false;
        _work.Writer.TryWrite(() =>
        {
            int? own = !remoteInterval && interval is int reported ? reported : _power.GetValueOrDefault(node).Own;
            _power[node] = (volts, mains, own);
            return _evaluator.OnStatus(node, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), faults, interval);
        });
    }

    private async Task HandleAsync(List<AlertTransition> transitions, CancellationToken ct)
    {
        foreach (AlertTransition t in transitions)
        {
            CropProfile? profile = t.ProfileId == null ? null : CropProfiles.Find(_evaluator.Profiles, t.ProfileId);
            (string vi, string en) = AlertMessages.For(t, profile, id => _registry.Find(id)?.Place);
            AlertRecord a = await _alerts.ApplyAsync(t, vi, en, ct).ConfigureAwait(false);
            string state = t.To == AlertLevel.None ? "cleared" : "raised";
            await _outbound.EnqueueAsync(AlertStep.From(a, state), ct).ConfigureAwait(false);
            _live.Publish("alert", JsonSerializer.Serialize(a, JsonOptions));
            _log.LogInformation(AlertEvents.Transition, "Alert {Kind} of {NodeId}: {From} → {To} ({Value})", a.Kind, t.Node, t.From, t.To, t.Value);
        }

        if (transitions.Count > 0)
        {
            Changed?.Invoke();
        }
    }
}
