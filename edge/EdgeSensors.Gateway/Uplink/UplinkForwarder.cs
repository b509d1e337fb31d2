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
///   flight; the checkpoint (the forwarded flag) advances only over the longest acknowledged prefix, so after any
///   crash the uplink resumes exactly there and re-sends at most one window — with the same (node, boot, seq) ids.
/// Reconnects with exponential backoff and jitter.
/// </summary>
public sealed class UplinkForwarder : BackgroundService
{
    private const int LatestLaneBacklogThreshold = 500;
    private readonly IIocUplink _uplink;
    private readonly UplinkOptions _options;
    private readonly ReadingStore _store;
    private readonly OutboundLane _outbound;
    private readonly NodeRegistry _registry;
    private readonly IocMessageEncoder _encoder;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<UplinkForwarder> _log;
    private readonly SemaphoreSlim _wake = new(0, int.MaxValue);
    private readonly Dictionary<string, StoredReading> _latest = [];
    private readonly Lock _latestLock = new();
    private readonly Random _jitter = new();

    public UplinkForwarder(IIocUplink uplink, IOptions<UplinkOptions> options, ReadingStore store, OutboundLane outbound, NodeRegistry registry, IocMessageEncoder encoder, GatewayMetrics metrics, ILogger<UplinkForwarder> log)
    {
        _uplink = uplink;
        _options = options.Value;
        _store = store;
        _outbound = outbound;
        _registry = registry;
        _encoder = encoder;
        _metrics = metrics;
        _log = log;
        _store.Committed += OnCommitted;
        _outbound.Queued += Wake;
    }

    /// <summary>State for /health and `gateway status`.</summary>
    public string State { get; private set; } = "starting";

    /// <summary>Last error talking to the IOC, if any.</summary>
    public string? LastError { get; private set; }

    public override void Dispose()
    {
        _store.Committed -= OnCommitted;
        _outbound.Queued -= Wake;
        _wake.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!_options.Enabled)
        {
            State = "disabled";
            _log.LogWarning(UplinkEvents.Disabled, "No uplink configured (Uplink:Host is empty): readings are kept locally and nothing is forwarded to the IOC");
            return;
        }

        int failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!_uplink.IsConnected)
                {
                    State = "connecting";
                    await _uplink.ConnectAsync(stoppingToken).ConfigureAwait(false);
                    _metrics.UplinkConnected.Set(1);
                    State = "connected";
                    LastError = null;
                    failures = 0;
                    _log.LogInformation(UplinkEvents.Connected, "Connected to the IOC broker at {Host}:{Port}", _options.Host, _options.Port);
                }

                bool didWork = await SendPriorityAsync(stoppingToken).ConfigureAwait(false);
                didWork |= await SendReadingsAsync(stoppingToken).ConfigureAwait(false);
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
                State = "retrying";
                LastError = ex.Message;
                failures++;
                long delay = Math.Min((long)_options.ReconnectBaseMs << Math.Min(failures - 1, 20), _options.ReconnectMaxMs);
                delay = (delay / 2) + (long)(_jitter.NextDouble() * (delay / 2));
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
        if (_wake.CurrentCount == 0)
        {
            _wake.Release();
        }
    }

    private async Task<bool> SendPriorityAsync(CancellationToken ct)
    {
        bool sent = false;
        foreach (OutboundMessage m in _outbound.Pending(100))
        {
            var kind = m.Kind == OutboundLane.GapKind ? IocMessageKind.Gap : IocMessageKind.Alert;
            if (!await _uplink.PublishAsync(new IocMessage(kind, m.Node, System.Text.Encoding.UTF8.GetBytes(m.Payload)), ct).ConfigureAwait(false))
            {
                throw new IOException("the IOC broker did not acknowledge a priority message");
            }

            await _outbound.MarkSentAsync(m.Id, ct).ConfigureAwait(false);
            _metrics.UplinkMessages.WithLabels("priority").Inc();
            sent = true;
        }

        // While a large backlog drains, the newest reading of each node goes ahead on the retained "latest" topic.
        // The ordered stream is untouched; the IOC sees current conditions now and the history as it arrives.
        Dictionary<string, StoredReading> latest;
        lock (_latestLock)
        {
            latest = new Dictionary<string, StoredReading>(_latest);
            _latest.Clear();
        }

        if (latest.Count > 0 && _store.Backlog().Count > LatestLaneBacklogThreshold)
        {
            foreach (StoredReading r in latest.Values)
            {
                byte[] payload = _encoder.Readings(r.Node, _registry.Get(r.Node), [r]);
                if (await _uplink.PublishAsync(new IocMessage(IocMessageKind.Latest, r.Node, payload), ct).ConfigureAwait(false))
                {
                    _metrics.UplinkMessages.WithLabels("latest").Inc();
                }
            }
        }

        return sent;
    }

    private async Task<bool> SendReadingsAsync(CancellationToken ct)
    {
        IReadOnlyList<StoredReading> pending = _store.PendingForUplink(_options.InFlightWindow * _options.MaxReadingsPerMessage);
        if (pending.Count == 0)
        {
            return false;
        }

        // Readings are grouped per node, keeping each node's order, into messages of up to MaxReadingsPerMessage;
        // nodes interleaved in arrival order would otherwise make one-reading messages.
        var messages = new List<(string Node, List<StoredReading> Readings)>();
        foreach (IGrouping<string, StoredReading> byNode in pending.GroupBy(r => r.Node))
        {
            foreach (StoredReading[] chunk in byNode.Chunk(_options.MaxReadingsPerMessage))
            {
                if (messages.Count < _options.InFlightWindow)
                {
                    messages.Add((byNode.Key, chunk.ToList()));
                }
            }
        }

        var registrations = new Dictionary<string, NodeRecord?>();
        var inFlight = new List<Task<bool>>(messages.Count);
        foreach (var (node, readings) in messages)
        {
            if (!registrations.TryGetValue(node, out NodeRecord? reg))
            {
                reg = _registry.Get(node);
                registrations[node] = reg;
            }

            // Started in order without awaiting each: MQTT keeps QoS 1 messages of one connection in order.
            inFlight.Add(_uplink.PublishAsync(new IocMessage(IocMessageKind.Readings, node, _encoder.Readings(node, reg, readings)), ct));
        }

        bool[] acked = await Task.WhenAll(inFlight).ConfigureAwait(false);

        // The checkpoint advances, per node, over the longest acknowledged prefix of that node's messages: a later
        // message of a node is never marked while an earlier one of the same node is not, so after any failure the
        // node's readings are re-sent in order, and at most the window is sent twice.
        var forwarded = new List<long>();
        var blocked = new HashSet<string>();
        int ackedMessages = 0;
        for (int i = 0; i < messages.Count; i++)
        {
            if (acked[i] && !blocked.Contains(messages[i].Node))
            {
                forwarded.AddRange(messages[i].Readings.Select(r => r.Id));
                ackedMessages++;
            }
            else
            {
                blocked.Add(messages[i].Node);
            }
        }

        if (forwarded.Count > 0)
        {
            await _store.MarkForwardedAsync(forwarded, ct).ConfigureAwait(false);
            _metrics.ReadingsForwarded.Inc(forwarded.Count);
            _metrics.UplinkMessages.WithLabels("readings").Inc(ackedMessages);
            _log.LogDebug(UplinkEvents.Forwarded, "Forwarded {Count} readings in {Messages} messages", forwarded.Count, ackedMessages);
        }

        if (acked.Any(a => !a))
        {
            throw new IOException($"the IOC broker acknowledged {acked.Count(a => a)} of {acked.Length} messages in flight");
        }

        return true;
    }

    private void UpdateBacklogMetrics()
    {
        (long count, long oldest) = _store.Backlog();
        _metrics.Backlog.Set(count);
        _metrics.BacklogAge.Set(count == 0 ? 0 : Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - oldest));
    }
}
