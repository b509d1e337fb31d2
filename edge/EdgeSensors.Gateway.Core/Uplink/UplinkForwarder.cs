using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Uplink;

/// <summary>
/// Forwards from the store to the IOC, at least once, in order per node:
/// - the priority lane first: alerts and gap records (and, while a backlog drains, each node's latest reading on a
///   retained "latest" topic), so fresh news never waits behind days of backlog;
/// - then readings, oldest first, several per message, up to <see cref="UplinkOptions.InFlightWindow"/> messages in
///   flight; the checkpoint (one cursor: every id up to it has reached the IOC) advances in one statement over the
///   longest acknowledged prefix, so after any crash the uplink resumes exactly there and re-sends at most one
///   window — with the same (node, boot, seq) ids. The next batch is read by cursor while the previous one is
///   acknowledged, without waiting for the database.
/// Reconnects with exponential backoff and jitter.
/// </summary>
public sealed class UplinkForwarder : BackgroundService
{
    private readonly IIocUplink _uplink;
    private readonly UplinkOptions _options;
    private readonly IUplinkBacklog _store;
    private readonly IReadingFeed _feed;
    private readonly IOutboundLane _outbound;
    private readonly INodeDirectory _registry;
    private readonly IocMessageEncoder _encoder;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<UplinkForwarder> _log;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Dictionary<string, StoredReading> _latest = [];
    private readonly Lock _latestLock = new();
    private readonly Dictionary<string, long> _latestSentAt = [];
    private readonly ForwardedMarks _marks = new();
    private long _marksSentAt;
    private long _sentThrough = -1;
    private long _ackedBeyondCheckpoint;
    private long _metricsAt;

    public UplinkForwarder(IIocUplink uplink, IOptions<UplinkOptions> options, IReadingFeed feed, IUplinkBacklog store, IOutboundLane outbound, INodeDirectory registry, IocMessageEncoder encoder, GatewayMetrics metrics, ILogger<UplinkForwarder> log)
    {
        _uplink = uplink;
        _options = options.Value;
        _store = store;
        _feed = feed;
        _outbound = outbound;
        _registry = registry;
        _encoder = encoder;
        _metrics = metrics;
        _log = log;
        _feed.Committed += OnCommitted;
        _outbound.Queued += Wake;
    }

    /// <summary>State for /health and `gateway status`.</summary>
    public string State { get; private set; } = "starting";

    /// <summary>Last error talking to the IOC, if any.</summary>
    public string? LastError { get; private set; }

    public override void Dispose()
    {
        _feed.Committed -= OnCommitted;
        _outbound.Queued -= Wake;
        _wake.Dispose();
        base.Dispose();
    }

    private double _lastReadingsPerMessage;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            State = "disabled";
            _log.LogWarning(UplinkEvents.Disabled, "No uplink configured (Uplink:Host is empty): readings are kept locally and nothing is forwarded to the IOC");
            return;
        }

        var backoff = new ReconnectBackoff(TimeSpan.FromMilliseconds(_options.ReconnectBaseMs), TimeSpan.FromMilliseconds(_options.ReconnectMaxMs));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_uplink.IsConnected)
                {
                    if (State == "connected")
                    {
                        _log.LogWarning(UplinkEvents.LinkLost, "IOC link lost ({Reason}); reconnecting", _uplink.LastDisconnectReason ?? "closed");
                    }

                    State = "connecting";
                    await _uplink.ConnectAsync(stoppingToken).ConfigureAwait(false);
                    _metrics.UplinkConnected.Set(1);
                    State = "connected";
                    LastError = null;
                    _log.LogInformation(UplinkEvents.Connected, "Connected to the IOC ({Kind}) at {Host}:{Port}", _options.Kind, _options.EffectiveHost, _options.EffectivePort);
                }

                bool didWork = await SendPriorityAsync(stoppingToken).ConfigureAwait(false);
                didWork |= await SendReadingsAsync(stoppingToken).ConfigureAwait(false);

                // Only a round that worked ends the backoff: a link that connects and then fails every send (a
                // broker refusing what we send) must not be hammered at the base delay.
                backoff.Reset();
                UpdateBacklogMetrics();
                if (!didWork)
                {
                    await _wake.WaitAsync(TimeSpan.FromSeconds(2), stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !stoppingToken.IsCancellationRequested)
            {
                _metrics.UplinkConnected.Set(0);
                _sentThrough = -1;
                State = "retrying";
                LastError = ex.Message;
                long delay = (long)backoff.Next().TotalMilliseconds;
                _log.LogWarning(UplinkEvents.ConnectFailed, "IOC link down ({Reason}); retrying in {DelayMs} ms", ex.Message, delay);
                await _uplink.DisconnectAsync().ConfigureAwait(false);
                UpdateBacklogMetrics();
                try
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(delay), stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        _metrics.UplinkConnected.Set(0);
        await _uplink.DisconnectAsync().ConfigureAwait(false);
    }

    private void OnCommitted(IReadOnlyList<StoredReading> readings)
    {
        lock (_latestLock)
        {
            foreach (StoredReading r in readings)
            {
                _latest[r.Node] = r;
            }
        }

        Wake();
    }

    private void Wake()
    {
        try
        {
            if (_wake.CurrentCount == 0)
            {
                _wake.Release();
            }
        }
        catch (ObjectDisposedException)
        {
            // A commit raced the forwarder's disposal (the event handler list was copied before it unsubscribed):
            // there is no loop left to wake, and the readings are in the store for the next start.
        }
    }

    private async Task<bool> SendPriorityAsync(CancellationToken ct)
    {
        bool sent = false;
        foreach (OutboundMessage m in _outbound.Pending(100))
        {
            var kind = m.Kind == OutboundKind.Gap ? IocMessageKind.Gap : IocMessageKind.Alert;
            NodeRecord? registration = m.Node == null ? null : _registry.Find(m.Node);
            byte[] payload = m.Record is { } record ? _encoder.Encode(record, registration) : _encoder.Restamp(m.Payload, registration, withLocation: kind == IocMessageKind.Alert);
            if (!await _uplink.PublishAsync(new IocMessage(kind, m.Node, payload), ct).ConfigureAwait(false))
            {
                throw new IOException("the IOC broker did not acknowledge a priority message");
            }

            await _outbound.MarkSentAsync(m.Id, ct).ConfigureAwait(false);
            _metrics.UplinkMessages.WithLabels("priority").Inc();
            sent = true;
        }

        sent |= await SendMarksAsync(ct).ConfigureAwait(false);

        // While a large backlog drains, the newest reading of each node goes ahead on the retained "latest" topic.
        // The ordered stream is untouched; the IOC sees current conditions now and the history as it arrives.
        Dictionary<string, StoredReading> latest;
        lock (_latestLock)
        {
            latest = new Dictionary<string, StoredReading>(_latest);
            _latest.Clear();
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long oldest = latest.Count > 0 ? _store.OldestPendingRx() : 0;
        if (oldest > 0 && now - oldest >= _options.LatestLaneBacklogSeconds)
        {
            foreach (StoredReading r in latest.Values)
            {
                // At most once per node per interval: a drain is not a reason to double the messages.
                if (_latestSentAt.TryGetValue(r.Node, out long at) && now - at < _options.LatestLaneIntervalSeconds)
                {
                    continue;
                }

                _latestSentAt[r.Node] = now;
                byte[] payload = _encoder.Readings(r.Node, _registry.Find(r.Node), [r]);
                if (await _uplink.PublishAsync(new IocMessage(IocMessageKind.Latest, r.Node, payload), ct).ConfigureAwait(false))
                {
                    _metrics.UplinkMessages.WithLabels("latest").Inc();
                }
            }
        }

        return sent;
    }

    /// <summary>
    /// Issue 32: the IOC cannot see readings lost after the last one it stored (the broker acknowledged them to the
    /// gateway, then lost them). So, at most once per <see cref="UplinkOptions.MarksIntervalSeconds"/>, the gateway
    /// says how far each (node, boot) it forwarded since the last marks has been acknowledged — only readings behind
    /// the checkpoint count, every one of them acknowledged — and the IOC reports what it does not hold below that.
    /// </summary>
    private async Task<bool> SendMarksAsync(CancellationToken ct)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        if (_options.MarksIntervalSeconds == 0 || _marks.Count == 0 || now - _marksSentAt < _options.MarksIntervalSeconds)
        {
            return false;
        }

        IReadOnlyList<(string Node, long Boot, long Seq)> due = _marks.Due();
        _marksSentAt = now;
        if (due.Count == 0)
        {
            return false;
        }

        // 200 (node, boot) pairs a message (about 10 KB): a gateway's nodes fit in one or two.
        foreach ((string Node, long Boot, long Seq)[] chunk in due.Chunk(200))
        {
            byte[] payload = _encoder.Marks(chunk, now);
            if (!await _uplink.PublishAsync(new IocMessage(IocMessageKind.Marks, null, payload), ct).ConfigureAwait(false))
            {
                throw new IOException("the IOC broker did not acknowledge the forwarded marks");
            }

            _marks.Sent(chunk);
            _metrics.UplinkMessages.WithLabels("marks").Inc();
        }

        return true;
    }

    private async Task<bool> SendReadingsAsync(CancellationToken ct)
    {
        // The cursor in memory follows the acknowledged prefix; it is read from the store at start and after a failure.
        if (_sentThrough < 0)
        {
            _sentThrough = _store.Cursor;
        }

        if (_options.LingerMs > 0 && _lastReadingsPerMessage is > 0 and < 4)
        {
            // Live trickle: let each node's next readings join its message (issue 12). The priority lane was served
            // just before; an alert raised meanwhile waits at most this long.
            await Task.Delay(_options.LingerMs, ct).ConfigureAwait(false);
        }

        IReadOnlyList<StoredReading> pending = await _store.TakePendingAsync(_sentThrough, _options.InFlightWindow * _options.MaxReadingsPerMessage, ct).ConfigureAwait(false);
        if (pending.Count == 0)
        {
            return false;
        }

        // Kept across attempts: readings the IOC acknowledged above the checkpoint in an earlier, partly failed attempt
        // stay protected from the budget until the checkpoint passes them.
        try
        {
            return await SendTakenAsync(pending, ct).ConfigureAwait(false);
        }
        finally
        {
            _store.SettleInFlight(_ackedBeyondCheckpoint);
        }
    }

    private async Task<bool> SendTakenAsync(IReadOnlyList<StoredReading> pending, CancellationToken ct)
    {

        // The batch is a prefix of the pending ids, grouped per node (keeping each node's order) into messages of up
        // to MaxReadingsPerMessage — nodes interleaved in arrival order would otherwise make one-reading messages.
        var messages = new List<(string Node, List<StoredReading> Readings)>();
        var open = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (StoredReading r in pending)
        {
            if (open.TryGetValue(r.Node, out int m) && messages[m].Readings.Count < _options.MaxReadingsPerMessage)
            {
                messages[m].Readings.Add(r);
            }
            else
            {
                open[r.Node] = messages.Count;
                messages.Add((r.Node, [r]));
            }
        }

        long notSent = long.MaxValue;
        var registrations = new Dictionary<string, NodeRecord?>(StringComparer.Ordinal);
        var inFlight = new List<Task<bool>>(messages.Count);
        using var window = new SemaphoreSlim(_options.InFlightWindow, _options.InFlightWindow);
        for (int i = 0; i < messages.Count; i++)
        {
            var (node, readings) = messages[i];
            if (!registrations.TryGetValue(node, out NodeRecord? reg))
            {
                reg = _registry.Find(node);
                registrations[node] = reg;
            }

            // Started in order, at most InFlightWindow unacknowledged at a time: MQTT keeps QoS 1 messages of one
            // connection in order.
            await window.WaitAsync(ct).ConfigureAwait(false);
            byte[] payload = Encode(node, reg, readings);
            while (payload.Length > _uplink.MaxPayloadBytes && readings.Count > 1)
            {
                // Too big for the receiving end (IoT Hub: 256 KB): the first half goes now, the rest becomes the next
                // message of the same node, keeping the order.
                int half = readings.Count / 2;
                messages.Insert(i + 1, (node, readings.GetRange(half, readings.Count - half)));
                readings = readings.GetRange(0, half);
                messages[i] = (node, readings);
                payload = Encode(node, reg, readings);
            }

            var message = new IocMessage(IocMessageKind.Readings, node, payload) { Ids = _uplink.CarriesIds ? IdRuns(readings) : null };
            inFlight.Add(Release(_uplink.PublishAsync(message, ct), window));
        }

        bool[] acked = await Task.WhenAll(inFlight).ConfigureAwait(false);

        // The cursor advances over the longest acknowledged prefix of ids: up to, not including, the first reading
        // that was not sent or whose message was not acknowledged. After any failure everything above it is sent
        // again, in order; at most the window is sent twice.
        long firstMissing = notSent;
        int ackedMessages = 0;
        long ackedReadings = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            if (acked[i])
            {
                ackedMessages++;
                ackedReadings += messages[i].Readings.Count;
                _ackedBeyondCheckpoint = Math.Max(_ackedBeyondCheckpoint, messages[i].Readings[^1].Id);
            }
            else
            {
                firstMissing = Math.Min(firstMissing, messages[i].Readings[0].Id);
            }
        }

        long through = firstMissing == long.MaxValue ? pending[^1].Id : firstMissing - 1;
        if (_ackedBeyondCheckpoint <= through)
        {
            _ackedBeyondCheckpoint = 0; // all acknowledged readings are behind the new checkpoint
        }

        if (through > _sentThrough)
        {
            await _store.AdvanceCursorAsync(through, ct).ConfigureAwait(false);
            _sentThrough = through;
            _marks.Note(pending, through);
        }

        _log.LogDebug(UplinkEvents.Forwarded, "Forwarded {Count} readings in {Messages} messages, cursor {Cursor}", ackedReadings, ackedMessages, _sentThrough);
        _metrics.ReadingsForwarded.Inc(ackedReadings);
        _lastReadingsPerMessage = ackedMessages == 0 ? 0 : (double)ackedReadings / ackedMessages;
        _metrics.UplinkMessages.WithLabels("readings").Inc(ackedMessages);
        if (acked.Any(a => !a))
        {
            _sentThrough = -1;
            throw new IOException($"the IOC broker acknowledged {acked.Count(a => a)} of {acked.Length} messages in flight");
        }

        return true;
    }

    private byte[] Encode(string node, NodeRecord? reg, List<StoredReading> readings) =>
        _options.Payload == "senml" ? SenmlEncoder.Encode(_encoder.Site, node, readings) : _encoder.Readings(node, reg, readings);

    /// <summary>"{boot}:{first}-{last}" for each run of consecutive sequence numbers, joined by ','.</summary>
    public static string IdRuns(IReadOnlyList<StoredReading> readings)
    {
        var sb = new System.Text.StringBuilder();
        int i = 0;
        while (i < readings.Count)
        {
            int j = i;
            while (j + 1 < readings.Count && readings[j + 1].Boot == readings[i].Boot && readings[j + 1].Seq == readings[j].Seq + 1)
            {
                j++;
            }

            if (sb.Length > 0)
            {
                sb.Append(',');
            }

            sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"{readings[i].Boot}:{readings[i].Seq}");
            if (j > i)
            {
                sb.Append(System.Globalization.CultureInfo.InvariantCulture, $"-{readings[j].Seq}");
            }

            i = j + 1;
        }

        return sb.ToString();
    }

    private static async Task<bool> Release(Task<bool> publish, SemaphoreSlim window)
    {
        try
        {
            return await publish.ConfigureAwait(false);
        }
        finally
        {
            window.Release();
        }
    }

    private void UpdateBacklogMetrics()
    {
        // Counting the backlog reads it; once a second is enough for a gauge.
        long nowMs = Environment.TickCount64;
        if (nowMs - _metricsAt < 1000)
        {
            return;
        }

        _metricsAt = nowMs;
        (long count, long oldest) = _store.Backlog();
        _metrics.Backlog.Set(count);
        _metrics.BacklogAge.Set(count == 0 ? 0 : Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - oldest));
    }
}
