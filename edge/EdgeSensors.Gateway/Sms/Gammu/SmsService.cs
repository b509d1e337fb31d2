using System.Threading.Channels;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Sms.Gammu;

/// <summary>
/// Salinity texts to farmers (issue 18). Follows each committed reading through every crop its station's subscribers
/// chose (the same hysteresis and "falling below" reopening rule as the gateway's alerts), and queues for each
/// subscriber of that station and crop: a warning or danger text when the level is reached, and the all-clear when
/// salinity has stayed under the reopening level long enough. Texts are handed to gammu-smsd; their fate is read
/// back from its folders; texts received are commands (subscribe, cancel, status). Limits protect farmers and the
/// SIM's credit: N texts per number per day, quiet hours except for danger, no repeat of an alert within an episode,
/// and a counted backlog while gammu-smsd is not sending.
/// </summary>
public sealed class SmsService : BackgroundService
{
    private static readonly string[] LimitedKinds = [Kinds.Warning, Kinds.Danger, Kinds.Clear, Kinds.Morning, Kinds.Forecast];
    private static readonly string[] ReplyKinds = [Kinds.Reply];

    /// <summary>Answers to one number's texts per day, at most.</summary>
    public const int MaxRepliesPerNumberPerDay = 10;
    private readonly SmsOptions _options;
    private readonly AlertOptions _alertOptions;
    private readonly ISmsStore _sms;
    private readonly IReadingQueries _readings;
    private readonly IReadingFeed _feed;
    private readonly INodeDirectory _nodes;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<SmsService> _log;
    private readonly TimeProvider _time;
    private readonly SmsTemplates _templates;
    private readonly Channel<IReadOnlyList<StoredReading>> _committed = Channel.CreateUnbounded<IReadOnlyList<StoredReading>>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Dictionary<(string Node, string Profile), Episode> _episodes = [];
    private readonly Channel<(VerdictChange Change, List<SmsSubscription> Subscribers)> _verdicts = Channel.CreateUnbounded<(VerdictChange, List<SmsSubscription>)>(new UnboundedChannelOptions { SingleReader = true });
    private readonly AlertEvaluator _evaluator;

    /// <summary>
    /// What each subscriber of a station and crop was told since the level reached warning: no alert is repeated within
    /// an episode, and only those told of it get its all-clear. The level itself is the core's (<see cref="AlertEvaluator.Verdict"/>,
    /// the same answer the page, the alerts and the lamps give; issue 30). Kept in memory: an episode that began before
    /// this process started (its raise not seen here) ends with an all-clear to every subscriber of that crop.
    /// </summary>
    private sealed class Episode
    {
        public Dictionary<string, HashSet<string>> Told { get; } = new(StringComparer.Ordinal);

        /// <summary>The raise to warning was seen by this process (so <see cref="Told"/> is complete).</summary>
        public bool SeenRaise { get; set; }

        /// <summary>A crossing of the warning level is forecast (texted once until it clears or the level is reached).</summary>
        public bool Forecast { get; set; }
    }

    /// <summary>The same forecasts as the alert engine's (<see cref="SalinityOutlook"/>, the same options), fed the same committed readings.</summary>
    private readonly SalinityOutlook? _outlook;
    private GammuSmsd? _gammu;
    private readonly IAuditLog _audit;
    private readonly SmsConfirmations _confirmations;
    private readonly Queue<DateTimeOffset> _recentReplies = new();
    private readonly HashSet<(string Phone, string Node)> _morningDone = [];
    private DateOnly _morningDate;
    private long _morningCheckedAt;
    private int _morningSubscriptions;

    public SmsService(IOptions<SmsOptions> options, IOptions<AlertOptions> alertOptions, ISmsStore sms, IReadingFeed feed, IReadingQueries readings, INodeDirectory nodes, IAuditLog audit, GatewayMetrics metrics, ILogger<SmsService> log, AlertEngine alerts, TimeProvider? time = null)
    {
        _evaluator = alerts.Evaluator;
        _audit = audit;
        _options = options.Value;
        _alertOptions = alertOptions.Value;
        _sms = sms;
        _readings = readings;
        _feed = feed;
        _nodes = nodes;
        _metrics = metrics;
        _log = log;
        _time = time ?? TimeProvider.System;
        _templates = new SmsTemplates(_options.Alphabet == "ucs2" ? SmsAlphabet.Ucs2 : SmsAlphabet.Gsm7);
        _confirmations = new SmsConfirmations(_options.MaxRepliesPerHour, _time);
        _outlook = _alertOptions.Outlook.Enabled ? new SalinityOutlook(_alertOptions.Outlook) : null;
        if (_options.Enabled)
        {
            _feed.Committed += OnCommitted;
            _evaluator.VerdictChanged += OnVerdict;
        }
    }

    /// <summary>The text kinds.</summary>
    public static class Kinds
    {
        public const string Warning = "warning";
        public const string Danger = "danger";
        public const string Clear = "clear";
        public const string Morning = "morning";

        /// <summary>Salt predicted at the crop's warning level (issue 31): once per episode.</summary>
        public const string Forecast = "forecast";
        public const string Reply = "reply";
    }

    public string State { get; private set; } = "disabled";

    public SmsTemplates Templates => _templates;

    public IReadOnlyList<CropProfile> Profiles => [.. CropProfiles.Defaults.Concat(_alertOptions.Profiles.Select(p => p.ToProfile())).GroupBy(p => p.Id).Select(g => g.Last())];

    private void OnCommitted(IReadOnlyList<StoredReading> batch) => _committed.Writer.TryWrite(batch);

    /// <summary>
    /// On the alert engine's thread, as the change happens: who is subscribed to that station and crop now is who is
    /// texted (a farmer who subscribes a moment later is not sent a change from before).
    /// </summary>
    private void OnVerdict(VerdictChange change)
    {
        List<SmsSubscription> subscribers = [.. _sms.Subscriptions(change.Node).Where(s => s.Profile == change.Profile)];
        if (subscribers.Count > 0)
        {
            _verdicts.Writer.TryWrite((change, subscribers));
        }
    }

    public override void Dispose()
    {
        _feed.Committed -= OnCommitted;
        _evaluator.VerdictChanged -= OnVerdict;
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            return;
        }

        _gammu = new GammuSmsd(_options.SmsdConfigPath, _options.InjectCommand);
        long started = _time.GetUtcNow().ToUnixTimeSeconds();
        foreach (NodeRecord n in _outlook == null ? [] : _nodes.List())
        {
            // Two weeks of 15-minute means: the tide fit behind "salt at 14:20" needs a week of them.
            foreach ((long ts, double? ppt, _) in _readings.History(n.Id, started - (SalinityOutlook.KeepDays * 86400L), started + 60, SalinityOutlook.BinSeconds))
            {
                if (ppt is double v)
                {
                    _outlook!.Observe(n.Id, ts, v);
                }
            }
        }

        State = "running";
        _log.LogInformation("SMS: texts through gammu-smsd ({Config}), {Alphabet}, at most {Max} a day per number, quiet {From}:00–{Until}:00 except danger",
            _options.SmsdConfigPath, _options.Alphabet, _options.MaxPerNumberPerDay, _options.QuietFromHour, _options.QuietUntilHour);
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (_committed.Reader.TryRead(out IReadOnlyList<StoredReading>? batch))
                {
                    await EvaluateAsync(batch, stoppingToken).ConfigureAwait(false);
                }

                while (_verdicts.Reader.TryRead(out var item))
                {
                    await ApplyAsync(item.Change, item.Subscribers, stoppingToken).ConfigureAwait(false);
                }

                await HandleReceivedAsync(stoppingToken).ConfigureAwait(false);
                await MorningAsync(stoppingToken).ConfigureAwait(false);
                await DispatchAsync(stoppingToken).ConfigureAwait(false);
                await FollowAsync(stoppingToken).ConfigureAwait(false);
                _metrics.SmsBacklog.Set(_sms.InState(SmsStates.Queued, 100_000).Count + _sms.InState(SmsStates.Handed, 100_000).Count);
            }
            catch (Exception ex) when (ex is IOException or InvalidOperationException or UnauthorizedAccessException or System.Data.Common.DbException)
            {
                State = "error: " + ex.Message;
                _log.LogWarning("SMS: {Reason}", ex.Message);
            }

            try
            {
                using var wake = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
                wake.CancelAfter(_options.PollMs);
                await Task.WhenAny(_committed.Reader.WaitToReadAsync(wake.Token).AsTask(), _verdicts.Reader.WaitToReadAsync(wake.Token).AsTask()).ConfigureAwait(false);
                stoppingToken.ThrowIfCancellationRequested();
            }
            catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
            {
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    private DateTimeOffset Local(long unix) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(unix), _options.Zone);

    private async Task EvaluateAsync(IReadOnlyList<StoredReading> batch, CancellationToken ct)
    {
        foreach (var byNode in batch.GroupBy(r => r.Node))
        {
            foreach (StoredReading r in byNode)
            {
                if (r.Get(StoredReading.Salinity) is double ppt)
                {
                    _outlook?.Observe(byNode.Key, r.Ts, ppt);
                }
            }

            StoredReading? last = byNode.Where(r => r.Get(StoredReading.Salinity) != null).MaxBy(r => r.Id);
            IReadOnlyList<SmsSubscription> subs = _sms.Subscriptions(byNode.Key);
            if (subs.Count == 0 || last == null)
            {
                continue;
            }

            NodeRecord? node = _nodes.Find(byNode.Key);
            foreach (var byProfile in subs.GroupBy(s => s.Profile))
            {
                if (CropProfiles.Find(Profiles, byProfile.Key) is CropProfile crop)
                {
                    await ForecastAsync(byNode.Key, node, crop, EpisodeOf(byNode.Key, crop.Id), byProfile, last, ct).ConfigureAwait(false);
                }
            }
        }
    }

    private Episode EpisodeOf(string node, string profile)
    {
        if (!_episodes.TryGetValue((node, profile), out Episode? episode))
        {
            episode = new Episode();
            _episodes[(node, profile)] = episode;
        }

        return episode;
    }

    /// <summary>
    /// A station's level for a crop changed in the core: its subscribers of that crop are texted the warning or the
    /// danger (once per episode) and, when it falls below warning by the crop's reopening rule, the all-clear.
    /// </summary>
    private async Task ApplyAsync(VerdictChange change, List<SmsSubscription> subscribers, CancellationToken ct)
    {
        CropProfile? crop = CropProfiles.Find(Profiles, change.Profile);
        if (subscribers.Count == 0 || crop == null)
        {
            return;
        }

        NodeRecord? node = _nodes.Find(change.Node);
        Episode episode = EpisodeOf(change.Node, crop.Id);
        AlertLevel before = change.From, now = change.To;
        if (now >= AlertLevel.Warning && now > before)
        {
            if (before < AlertLevel.Warning)
            {
                episode.Told.Clear();
                episode.SeenRaise = true;
            }

            string kind = now == AlertLevel.Danger ? Kinds.Danger : Kinds.Warning;
            string text = _templates.Raised(change.Node, node?.Place, crop, now, change.Value, Local(change.Ts));
            foreach (SmsSubscription s in subscribers)
            {
                HashSet<string> told = episode.Told.TryGetValue(s.Phone, out HashSet<string>? t) ? t : episode.Told[s.Phone] = [];
                if (told.Contains(kind))
                {
                    await SuppressAsync(s.Phone, change.Node, kind, text, _templates.Segments(text), "repeat", ct).ConfigureAwait(false);
                }
                else if (await QueueAlertAsync(s.Phone, change.Node, kind, text, ct).ConfigureAwait(false))
                {
                    told.Add(kind);
                }
            }
        }
        else if (before >= AlertLevel.Warning && now < AlertLevel.Warning)
        {
            string text = _templates.Cleared(change.Node, node?.Place, crop, change.Value, Local(change.Ts));
            foreach (SmsSubscription s in subscribers)
            {
                // Raised before this process started: who was told is not known here, so everyone hears it is over.
                HashSet<string> told = episode.Told.GetValueOrDefault(s.Phone) ?? (episode.SeenRaise ? [] : [Kinds.Warning]);
                await QueueClearAsync(s.Phone, change.Node, text, told, ct).ConfigureAwait(false);
            }

            episode.Told.Clear();
            episode.SeenRaise = false;
        }
    }

    /// <summary>
    /// "Salt at 14:20": when the station's forecast gives the crop's warning level within the horizon (as the alert
    /// engine's predicted-crossing alert does), each subscriber of that crop is texted once, within the daily limit and
    /// quiet hours; again only after the forecast has cleared or the level was reached.
    /// </summary>
    private async Task ForecastAsync(string nodeId, NodeRecord? node, CropProfile crop, Episode episode, IEnumerable<SmsSubscription> subscribers, StoredReading r, CancellationToken ct)
    {
        if (_outlook == null)
        {
            return;
        }

        if ((_evaluator.Verdict(nodeId, crop.Id)?.Level ?? AlertLevel.None) >= AlertLevel.Warning)
        {
            episode.Forecast = false;
            return;
        }

        PredictedCrossing? c = _outlook.Crossing(nodeId, crop.Warning, r.Ts);
        if (c == null)
        {
            episode.Forecast = false;
            return;
        }

        if (episode.Forecast || c.Probability < _alertOptions.Outlook.RaiseProbability)
        {
            return;
        }

        episode.Forecast = true;
        DateTimeOffset at = TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeSeconds(c.At), _options.Zone);
        string text = _templates.Forecast(nodeId, node?.Place, crop, at, Math.Max(5, (c.At - r.Ts) / 60));
        foreach (SmsSubscription s in subscribers)
        {
            await QueueAlertAsync(s.Phone, nodeId, Kinds.Forecast, text, ct).ConfigureAwait(false);
        }
    }

    private long StartOfLocalDay()
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _options.Zone);
        return new DateTimeOffset(local.Date, local.Offset).ToUnixTimeSeconds();
    }

    /// <summary>Seconds until quiet hours end, or 0 outside them.</summary>
    private long QuietUntil()
    {
        DateTimeOffset local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _options.Zone);
        int from = _options.QuietFromHour, until = _options.QuietUntilHour;
        bool quiet = from == until ? false : from < until ? local.Hour >= from && local.Hour < until : local.Hour >= from || local.Hour < until;
        if (!quiet)
        {
            return 0;
        }

        DateTimeOffset end = new DateTimeOffset(local.Date, local.Offset).AddHours(until);
        if (end <= local)
        {
            end = end.AddDays(1);
        }

        return end.ToUnixTimeSeconds();
    }

    /// <summary>Queues an alert, morning or all-clear text within the limits; false when the limit suppressed it.</summary>
    private async Task<bool> QueueAlertAsync(string phone, string node, string kind, string text, CancellationToken ct)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        int segments = _templates.Segments(text);
        if (_sms.CountSince(phone, StartOfLocalDay(), LimitedKinds) >= _options.MaxPerNumberPerDay)
        {
            await SuppressAsync(phone, node, kind, text, segments, "daily_limit", ct).ConfigureAwait(false);
            return false;
        }

        long quietEnd = kind == Kinds.Danger ? 0 : QuietUntil();
        await _sms.EnqueueAsync(phone, node, kind, text, segments, SmsStates.Queued, quietEnd > 0 ? "quiet_hours" : null, Math.Max(now, quietEnd), ct).ConfigureAwait(false);
        _metrics.SmsTexts.WithLabels(SmsStates.Queued, quietEnd > 0 ? "quiet_hours" : kind).Inc();
        _log.LogInformation("SMS {Kind} for {Node} queued to {Phone}{Deferred}", kind, node, PhoneNumbers.Mask(phone), quietEnd > 0 ? " for the end of quiet hours" : string.Empty);
        return true;
    }

    private async Task QueueClearAsync(string phone, string node, string text, HashSet<string> told, CancellationToken ct)
    {
        // A warning still waiting for the morning is superseded by its own all-clear: neither goes out.
        foreach (SmsMessage m in _sms.InState(SmsStates.Queued, 10_000).Where(m => m.Phone == phone && m.Node == node && m.Kind is Kinds.Warning or Kinds.Danger))
        {
            await _sms.UpdateAsync(m.Id, SmsStates.Suppressed, "superseded", null, ct).ConfigureAwait(false);
            _metrics.SmsTexts.WithLabels(SmsStates.Suppressed, "superseded").Inc();
            told.Remove(m.Kind);
        }

        // Only whoever was told of the alert is told it is over.
        if (told.Count > 0)
        {
            await QueueAlertAsync(phone, node, Kinds.Clear, text, ct).ConfigureAwait(false);
        }
    }

    private async Task SuppressAsync(string phone, string? node, string kind, string text, int segments, string reason, CancellationToken ct)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        await _sms.EnqueueAsync(phone, node, kind, text, segments, SmsStates.Suppressed, reason, now, ct).ConfigureAwait(false);
        _metrics.SmsTexts.WithLabels(SmsStates.Suppressed, reason).Inc();
        _log.LogInformation("SMS {Kind} for {Node} to {Phone} not sent: {Reason}", kind, node, PhoneNumbers.Mask(phone), reason);
    }

    private async Task DispatchAsync(CancellationToken ct)
    {
        foreach (SmsMessage m in _sms.Due(_time.GetUtcNow().ToUnixTimeSeconds(), 50))
        {
            string file;
            try
            {
                file = await _gammu!.InjectAsync(m.Phone, m.Text, _templates.Alphabet == SmsAlphabet.Ucs2 || !SmsEncoding.IsGsm7(m.Text), ct).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is IOException or System.ComponentModel.Win32Exception or InvalidOperationException)
            {
                // Kept queued, counted in the backlog; tried again next round.
                _metrics.SmsTexts.WithLabels("inject_failed", "gammu-smsd-inject").Inc();
                State = "error: " + ex.Message;
                _log.LogWarning("SMS: could not hand a text to gammu-smsd ({Reason}); it waits", ex.Message);
                return;
            }

            await _sms.UpdateAsync(m.Id, SmsStates.Handed, null, file, ct).ConfigureAwait(false);
            _metrics.SmsTexts.WithLabels(SmsStates.Handed, m.Kind).Inc();
            State = "running";
        }
    }

    private async Task FollowAsync(CancellationToken ct)
    {
        foreach (SmsMessage m in _sms.InState(SmsStates.Handed, 500))
        {
            string? where = m.Reference == null ? null : _gammu!.Where(m.Reference);
            if (where is SmsStates.Sent or SmsStates.Failed)
            {
                await _sms.UpdateAsync(m.Id, where, where == SmsStates.Failed ? "gammu-smsd could not send it (its error folder)" : null, null, ct).ConfigureAwait(false);
                _metrics.SmsTexts.WithLabels(where, where == SmsStates.Failed ? "modem" : m.Kind).Inc();
                _log.LogInformation("SMS {Kind} to {Phone}: {State}", m.Kind, PhoneNumbers.Mask(m.Phone), where);
            }
        }
    }

    private async Task HandleReceivedAsync(CancellationToken ct)
    {
        foreach (ReceivedText received in _gammu!.Received())
        {
            string? phone = PhoneNumbers.Normalize(received.Number, out _);
            if (phone == null)
            {
                _metrics.SmsReceived.WithLabels("invalid_number").Inc();
                GammuSmsd.MarkHandled(received);
                continue;
            }

            SmsCommand cmd = SmsCommand.Parse(received.Text, Profiles, _alertOptions.DefaultProfile);
            _metrics.SmsReceived.WithLabels(cmd.Kind.ToString().ToLowerInvariant()).Inc();
            string reply = await AnswerAsync(phone, cmd, ct).ConfigureAwait(false);
            _log.LogInformation("SMS from {Phone}: {Command} {Station}", PhoneNumbers.Mask(phone), cmd.Kind, cmd.Station ?? "-");
            long now = _time.GetUtcNow().ToUnixTimeSeconds();
            if (_sms.CountSince(phone, StartOfLocalDay(), ReplyKinds) >= MaxRepliesPerNumberPerDay)
            {
                // Answers cost credit too: a number texting again and again (a mistake, or someone draining the SIM)
                // gets at most this many a day; what it asks is still done.
                await SuppressAsync(phone, cmd.Station, Kinds.Reply, reply, _templates.Segments(reply), "reply_limit", ct).ConfigureAwait(false);
            }
            else if (!TakeGlobalReply())
            {
                // And all numbers together get at most Sms:MaxRepliesPerHour: 300 forged senders cannot fill the SIM's
                // day (alerts are not counted here, and go first in the queue anyway).
                await SuppressAsync(phone, cmd.Station, Kinds.Reply, reply, _templates.Segments(reply), "global_reply_limit", ct).ConfigureAwait(false);
            }
            else
            {
                await _sms.EnqueueAsync(phone, cmd.Station, Kinds.Reply, reply, _templates.Segments(reply), SmsStates.Queued, cmd.Kind.ToString().ToLowerInvariant(), now, ct).ConfigureAwait(false);
                _metrics.SmsTexts.WithLabels(SmsStates.Queued, Kinds.Reply).Inc();
            }

            GammuSmsd.MarkHandled(received);
        }
    }

    /// <summary>Counts one reply against the hourly cap for all numbers; false when the cap is reached.</summary>
    private bool TakeGlobalReply()
    {
        DateTimeOffset now = _time.GetUtcNow();
        while (_recentReplies.Count > 0 && now - _recentReplies.Peek() > TimeSpan.FromHours(1))
        {
            _recentReplies.Dequeue();
        }

        if (_recentReplies.Count >= _options.MaxRepliesPerHour)
        {
            return false;
        }

        _recentReplies.Enqueue(now);
        return true;
    }

    private async Task<string> AnswerAsync(string phone, SmsCommand cmd, CancellationToken ct)
    {
        if (cmd.Problem != null)
        {
            return _templates.Problem(cmd.Problem);
        }

        NodeRecord? node = null;
        if (cmd.Station != null)
        {
            // A code, or the name of the place (issue 30); a name several stations share is answered with the choices.
            (node, IReadOnlyList<NodeRecord> choices) = SmsStations.Resolve(cmd.Station, _nodes.List());
            if (node == null && choices.Count > 1)
            {
                return _templates.Choices(choices.Select(c => (c.Id, c.Place)).ToList());
            }
        }

        switch (cmd.Kind)
        {
            case SmsCommandKind.Subscribe:
            {
                if (node == null)
                {
                    return _templates.Problem("unknown_station");
                }

                // Nothing changes yet: the code goes to the number, and only its holder can send it back.
                CropProfile crop = CropProfiles.Find(Profiles, cmd.Profile!)!;
                PendingSmsChange? pending = _confirmations.Request(phone, SmsCommandKind.Subscribe, node.Id, crop.Id);
                return pending == null ? _templates.Problem("busy") : _templates.ConfirmCode(pending.Code, SmsCommandKind.Subscribe, node.Id, crop);
            }

            case SmsCommandKind.Cancel:
            {
                if (cmd.Station != null && node == null)
                {
                    return _templates.Problem("unknown_station");
                }

                if (_sms.Subscriptions(node?.Id, phone).Count == 0)
                {
                    return _templates.Cancelled(node?.Id, 0);
                }

                PendingSmsChange? pending = _confirmations.Request(phone, SmsCommandKind.Cancel, node?.Id, null);
                return pending == null ? _templates.Problem("busy") : _templates.ConfirmCode(pending.Code, SmsCommandKind.Cancel, node?.Id, null);
            }

            case SmsCommandKind.Confirm:
            {
                PendingSmsChange? change = _confirmations.Confirm(phone, cmd.Code);
                if (change == null)
                {
                    return _templates.Problem("wrong_code");
                }

                // The same use case as a technician's subscribe (rules and audit entry); the consent is the code's text.
                var subscriptions = new UseCases.SmsSubscriptions(_sms, _nodes, _audit, Profiles, _time);
                if (change.Kind == SmsCommandKind.Subscribe)
                {
                    var made = await subscriptions.SubscribeAsync("sms", "sms", phone, change.Node, change.Profile, ct).ConfigureAwait(false);
                    if (made.Status != UseCases.UseCaseStatus.Ok)
                    {
                        return _templates.Problem("unknown_station"); // the station went away while the code was out
                    }

                    NodeRecord? subscribed = _nodes.Find(change.Node!);
                    return _templates.Subscribed(change.Node!, subscribed?.Place, CropProfiles.Find(Profiles, made.Value!.Profile)!);
                }

                var cancelled = await subscriptions.CancelAsync("sms", "sms", phone, change.Node, ct).ConfigureAwait(false);
                return _templates.Cancelled(change.Node, cancelled.Value.Removed);
            }

            case SmsCommandKind.Status:
                if (node == null)
                {
                    return _templates.Problem("unknown_station");
                }

                IReadOnlyList<StoredReading> latest = _readings.Latest(node.Id, 1);
                StoredReading? last = latest.Count > 0 ? latest[0] : null;
                IReadOnlyList<SmsSubscription> own = _sms.Subscriptions(node.Id, phone);
                SmsSubscription? mine = own.Count > 0 ? own[0] : null;
                return _templates.Status(node.Id, node.Place, last?.Get(StoredReading.Salinity), last == null ? null : Local(last.Ts),
                    CropProfiles.Find(Profiles, mine?.Profile ?? _alertOptions.DefaultProfile));
            default:
                return _templates.Help();
        }
    }

    /// <summary>
    /// During the morning hour, each subscription gets the day's safe-intake hours once (a farmer subscribed during
    /// that hour still gets them). Looked at once a minute; a station without the week of data the forecast needs
    /// sends nothing: no forecast is better than a guess.
    /// </summary>
    private async Task MorningAsync(CancellationToken ct)
    {
        if (_options.MorningHour < 0)
        {
            return;
        }

        DateTimeOffset local = TimeZoneInfo.ConvertTime(_time.GetUtcNow(), _options.Zone);
        long tick = Environment.TickCount64;
        if (local.Hour != _options.MorningHour || tick - _morningCheckedAt < 60_000 && _morningCheckedAt != 0 && _morningSubscriptions == _sms.Subscriptions().Count)
        {
            return;
        }

        _morningCheckedAt = tick;
        var today = DateOnly.FromDateTime(local.Date);
        if (_morningDate != today)
        {
            _morningDate = today;
            _morningDone.Clear();
        }

        IReadOnlyList<SmsSubscription> subscriptions = _sms.Subscriptions();
        _morningSubscriptions = subscriptions.Count;
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        foreach (var group in subscriptions.Where(s => !_morningDone.Contains((s.Phone, s.Node))).GroupBy(s => (s.Node, s.Profile)))
        {
            CropProfile? crop = CropProfiles.Find(Profiles, group.Key.Profile);
            if (crop == null)
            {
                continue;
            }

            var samples = _readings.History(group.Key.Node, now - (14 * 86400L), now + 60, 900).Where(p => p.SalinityPpt != null).Select(p => (p.Ts, p.SalinityPpt!.Value)).ToList();
            IntakeForecastResult f = IntakeForecast.Predict(samples, now, crop.Watch, horizonHours: 18);
            if (!f.Enough)
            {
                continue;
            }

            NodeRecord? node = _nodes.Find(group.Key.Node);
            string certainty = f.Certainty switch { "high" => "cao", "medium" => "trung bình", _ => "thấp" };
            string text = _templates.Morning(group.Key.Node, node?.Place, crop, f.Windows.Select(w => (Local(w.From), Local(w.To))).ToList(), certainty);
            foreach (SmsSubscription s in group)
            {
                _morningDone.Add((s.Phone, s.Node));
                await QueueAlertAsync(s.Phone, group.Key.Node, Kinds.Morning, text, ct).ConfigureAwait(false);
            }
        }
    }
}
