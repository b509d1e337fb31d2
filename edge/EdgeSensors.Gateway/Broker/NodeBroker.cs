using System.Buffers;
using System.Net;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.UseCases;
using EdgeSensors.Node.Protocol;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;
using EdgeSensors.Gateway.Hosting;

namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// The embedded MQTT broker the nodes talk to (MQTTnet server). It authenticates each node against the registry
/// (client id = username = node id), lets a node publish only under sensors/{its id}/ and subscribe only to its own
/// config, and stores telemetry durably before the node's PUBACK goes out: MQTTnet sends the PUBACK after the
/// publish interceptor completes, and the interceptor awaits the group commit.
/// Every refusal is logged with its reason and counted in edgesensors_refused_total.
/// </summary>
public sealed class NodeBroker : IHostedLifecycleService, IAsyncDisposable, Alerts.INodeStatusFeed, UseCases.INodeConfigPublisher, UseCases.INodeSessions
{
    private readonly BrokerOptions _options;
    private readonly INodeDirectory _registry;
    private readonly ReadingIntake _intake;
    private readonly IQuarantine _quarantine;
    private readonly INodeStatusStore _statuses;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<NodeBroker> _log;
    private readonly MQTTnet.AspNetCore.MqttConnectionHandler _listener;
    private MqttServer? _server;

    /// <summary>Largest CONNECT accepted: client id, user name and password of a node and a small last will fit many times over.</summary>
    public const int MaxConnectBytes = 2048;
    private int _connected;

    public NodeBroker(IOptions<BrokerOptions> options, INodeDirectory registry, ReadingIntake intake, IQuarantine quarantine, INodeStatusStore statuses, GatewayMetrics metrics, MQTTnet.AspNetCore.MqttConnectionHandler listener, Security.SecurityEvents events, ILogger<NodeBroker> log)
    {
        _events = events;
        _options = options.Value;
        _listener = listener;
        Bans = new ConnectBans(_options.BanAfterFailures, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(_options.BanFirstSeconds), TimeSpan.FromHours(6));
        _registry = registry;
        _intake = intake;
        _quarantine = quarantine;
        _statuses = statuses;
        _metrics = metrics;
        _log = log;
    }

    /// <summary>Raised for every accepted status message (the alert engine reads faults and intervals from it).</summary>
    public event Action<string, JsonElement>? StatusReceived;

    /// <summary>Nodes connected now.</summary>
    public int ConnectedNodes => _connected;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        // The listeners are Kestrel's (Hosting/GatewayEndpoints: TLS, limits and the framing guard before MQTTnet sees
        // a byte); MQTTnet's server gets their connections through its connection handler and opens no socket itself.
        // Its communication timeout bounds the wait for CONNECT. Its writer starts at 512 bytes a connection (what a
        // node is sent: CONNACK, PUBACK, its config) instead of 4 KiB, grown on demand and shrunk back after a packet
        // over protocol v1's 8 KiB.
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithPersistentSessions(false)
            .WithMaxPendingMessagesPerClient(1000)
            .WithDefaultCommunicationTimeout(TimeSpan.FromSeconds(_options.ConnectTimeoutSeconds))
            .Build();
        options.WriterBufferSize = 512;
        options.WriterBufferSizeMax = Topics.MaxPayloadBytes + 512;
        _server = new MqttServerFactory().CreateMqttServer(options, [_listener]);
        _server.ValidatingConnectionAsync += ValidateConnectionAsync;
        _server.InterceptingPublishAsync += InterceptPublishAsync;
        _server.InterceptingSubscriptionAsync += InterceptSubscriptionAsync;
        _server.ClientConnectedAsync += e =>
        {
            _metrics.NodesConnected.Set(Interlocked.Increment(ref _connected));
            _log.LogDebug(BrokerEvents.NodeConnected, "Node {NodeId} connected from {Endpoint}", e.ClientId, e.RemoteEndPoint);
            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            if (e.DisconnectType != MqttClientDisconnectType.Clean || e.ClientId != null)
            {
                _metrics.NodesConnected.Set(Interlocked.Decrement(ref _connected));
            }

            _log.LogDebug(BrokerEvents.NodeDisconnected, "Node {NodeId} disconnected ({Type})", e.ClientId, e.DisconnectType);
            return Task.CompletedTask;
        };
        _server.LoadingRetainedMessageAsync += e =>
        {
            // The retained config of every node lives in the registry, so it survives restarts.
            foreach (NodeRecord node in _registry.List().Where(n => n.Config != null))
            {
                e.LoadedRetainedMessages.Add(new MqttApplicationMessageBuilder()
                    .WithTopic(Topics.Config(node.Id)).WithPayload(node.Config).WithRetainFlag()
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            }

            return Task.CompletedTask;
        };
        await _server.StartAsync().ConfigureAwait(false);
        _log.LogInformation(BrokerEvents.Started, "Node broker listening with TLS on {Address}:{TlsPort}{Plain}", _options.BindAddress, _options.TlsPort,
            _options.AllowPlaintext ? $" and WITHOUT TLS on {_options.Port} (Broker:AllowPlaintext: node passwords travel in clear; lab use only)" : string.Empty);
        if (_options.AllowPlaintext && !(IPAddress.TryParse(_options.BindAddress, out IPAddress? bind) && IPAddress.IsLoopback(bind)))
        {
            _log.LogWarning(BrokerEvents.Started, "Broker:AllowPlaintext is set on {Address}: anyone on the network can read node passwords", _options.BindAddress);
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>
    /// Before any service stops, Kestrel first: the node connections are Kestrel's now, and Kestrel waits for its
    /// connections to end before it stops. MQTTnet's server ends them itself (each node is told the server is going
    /// away), so the stop takes no longer than that. What a node had acknowledged is stored already.
    /// </summary>
    public Task StoppingAsync(CancellationToken cancellationToken) => StopAsync(cancellationToken);

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_server != null)
        {
            await _server.StopAsync(new MqttServerStopOptions()).ConfigureAwait(false);
        }
    }

    /// <summary>Publishes a node's retained config (gateway → node) and keeps it in the registry.</summary>
    public async Task PublishConfigAsync(string node, string json, long revision, CancellationToken ct)
    {
        await _registry.SetConfigAsync(node, json, revision, ct).ConfigureAwait(false);
        if (_server != null)
        {
            var message = new MqttApplicationMessageBuilder().WithTopic(Topics.Config(node)).WithPayload(json)
                .WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            await _server.InjectApplicationMessage(new InjectedMqttApplicationMessage(message), ct).ConfigureAwait(false);
        }
    }

    /// <summary>Disconnects a node (after its removal or secret rotation).</summary>
    public async Task DisconnectAsync(string node)
    {
        if (_server == null)
        {
            return;
        }

        try
        {
            await _server.DisconnectClientAsync(node, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized }).ConfigureAwait(false);
        }
        catch (InvalidOperationException)
        {
            // Not connected (MQTTnet: "Client with ID … not found"): nothing to cut. Rotating or removing a node that
            // never connected answered 500 before this.
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_server != null)
        {
            await StopAsync(CancellationToken.None).ConfigureAwait(false);
            _server.Dispose();
        }
    }

    /// <summary>Password guessers' bans (see <see cref="ConnectBans"/>).</summary>
    public ConnectBans Bans { get; }

    private Task ValidateConnectionAsync(ValidatingConnectionEventArgs e)
    {
        string reason;
        string address = e.RemoteEndPoint is System.Net.IPEndPoint ip ? ip.Address.ToString() : e.RemoteEndPoint?.ToString() ?? "unknown";
        DateTimeOffset now = DateTimeOffset.UtcNow;
        // Bans are keyed on the username (the node id being guessed), not the client id a guesser can rotate.
        if (Bans.IsBanned(address, e.UserName, now))
        {
            // Refused before the password is even checked: a banned guesser learns nothing more.
            e.ReasonCode = MqttConnectReasonCode.Banned;
            _metrics.Refused.WithLabels(RefusalReason.Banned).Inc();
            return Task.CompletedTask;
        }

        if (Volatile.Read(ref _connected) >= _options.MaxConnections)
        {
            e.ReasonCode = MqttConnectReasonCode.ServerBusy;
            reason = RefusalReason.TooManyConnections;
        }
        else if (string.IsNullOrEmpty(e.UserName) || _registry.Find(e.UserName) == null)
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            reason = RefusalReason.UnknownNode;
        }
        else if (!_registry.Verify(e.UserName, e.Password))
        {
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            reason = RefusalReason.BadCredentials;
        }
        else if (e.ClientId != e.UserName)
        {
            // The same code as a wrong password: a different one would tell a guesser the password was right.
            e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
            reason = RefusalReason.ClientIdMismatch;
        }
        else
        {
            e.ReasonCode = MqttConnectReasonCode.Success;
            return Task.CompletedTask;
        }

        _metrics.Refused.WithLabels(reason).Inc();
        if (reason is RefusalReason.BadCredentials or RefusalReason.UnknownNode or RefusalReason.ClientIdMismatch
            && Bans.Failed(address, e.UserName, now) is { } banned)
        {
            _metrics.Bans.Inc();
            _log.LogWarning(BrokerEvents.Banned, "Banned {Key} after repeated failed connects", banned);
            _events.Raise("ban", Security.SecurityEvents.Warning, address, Topics.IsValidNodeId(e.ClientId) ? e.ClientId : null, RefusalReason.Banned,
                $"banned {banned} after repeated failed connects");
        }

        // The password is never logged; the username is only echoed when it is a well-formed id.
        string? username = Topics.IsValidNodeId(e.UserName) ? e.UserName : null;
        _log.LogWarning(BrokerEvents.ConnectionRefused, "Refused connection from {Endpoint}: {Reason} (username {Username})",
            e.RemoteEndPoint, reason, username ?? "(malformed)");
        _events.Raise("connect_refused", Security.SecurityEvents.Warning, address, username, reason, $"refused MQTT connect: {reason}");
        return Task.CompletedTask;
    }

    private Task InterceptSubscriptionAsync(InterceptingSubscriptionEventArgs e)
    {
        if (string.IsNullOrEmpty(e.ClientId) || e.TopicFilter.Topic == Topics.Config(e.ClientId))
        {
            return Task.CompletedTask;
        }

        e.ProcessSubscription = false;
        e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
        _metrics.Refused.WithLabels(RefusalReason.SubscribeDenied).Inc();
        _log.LogWarning(BrokerEvents.SubscriptionRefused, "Refused subscription of {NodeId} to {Topic}: a node may subscribe only to its own config", e.ClientId, e.TopicFilter.Topic);
        _events.Raise("acl_subscribe", Security.SecurityEvents.Warning, null, e.ClientId, RefusalReason.SubscribeDenied, $"subscription to {e.TopicFilter.Topic} denied: a node may subscribe only to its own config");
        return Task.CompletedTask;
    }

    private async Task InterceptPublishAsync(InterceptingPublishEventArgs e)
    {
        string? node = e.ClientId;
        string topic = e.ApplicationMessage.Topic;
        if (string.IsNullOrEmpty(node) || node == _serverClientId)
        {
            return; // injected by the gateway itself (retained config)
        }

        ReadOnlyMemory<byte> payload = e.ApplicationMessage.Payload.IsSingleSegment
            ? e.ApplicationMessage.Payload.First
            : e.ApplicationMessage.Payload.ToArray();

        if (topic == Topics.Telemetry(node))
        {
            await IngestTelemetryAsync(e, node, topic, payload).ConfigureAwait(false);
        }
        else if (topic == Topics.Status(node))
        {
            await RecordStatusAsync(e, node, topic, payload).ConfigureAwait(false);
        }
        else
        {
            await RefuseAsync(e, node, topic, payload, RefusalReason.ForeignTopic, MqttPubAckReasonCode.NotAuthorized,
                "a node may publish only on sensors/{its id}/telemetry and sensors/{its id}/status", quarantine: false).ConfigureAwait(false);
        }
    }

    private async Task IngestTelemetryAsync(InterceptingPublishEventArgs e, string node, string topic, ReadOnlyMemory<byte> payload)
    {
        // The rules are the core's (ReadingIntake); this translates its outcome into MQTT.
        IntakeRefusal? refused;
        try
        {
            refused = await _intake.TelemetryAsync(node, topic, payload, e.CancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (e.CancellationToken.IsCancellationRequested)
        {
            // The node went away while its readings waited for the commit. They may still be committed; it was not
            // acknowledged either way, so it sends them again and the duplicate is acknowledged, not stored twice.
            e.ProcessPublish = false;
            _log.LogInformation(BrokerEvents.NodeLeftBeforeCommit, "{NodeId} left before its readings were committed; not acknowledged, it will send them again", node);
            throw;
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or InvalidOperationException)
        {
            // Not stored, so not acknowledged: close the connection before any PUBACK; the node keeps the readings
            // in its outbox and sends them again.
            e.ProcessPublish = false;
            e.CloseConnection = true;
            e.Response.ReasonCode = MqttPubAckReasonCode.ImplementationSpecificError;
            _metrics.Refused.WithLabels(RefusalReason.StoreFailure).Inc();
            _log.LogError(BrokerEvents.StoreFailed, "Could not store telemetry of {NodeId}: {Reason}; not acknowledged", node, ex.Message);
            throw new MqttStoreException(ex.Message, ex);
        }

        if (refused != null)
        {
            await RefuseAsync(e, node, topic, payload, refused.Reason, refused.Reason == RefusalReason.Oversize ? MqttPubAckReasonCode.QuotaExceeded : MqttPubAckReasonCode.PayloadFormatInvalid, refused.Detail, quarantine: false).ConfigureAwait(false);
        }
    }

    private async Task RecordStatusAsync(InterceptingPublishEventArgs e, string node, string topic, ReadOnlyMemory<byte> payload)
    {
        (IntakeStatus? status, IntakeRefusal? refused) = await _intake.StatusAsync(node, topic, payload, e.CancellationToken).ConfigureAwait(false);
        if (status == null)
        {
            await RefuseAsync(e, node, topic, payload, refused!.Reason, MqttPubAckReasonCode.PayloadFormatInvalid, refused.Detail, quarantine: false).ConfigureAwait(false);
            return;
        }

        StatusReceived?.Invoke(node, status.Document);
        await _statuses.SaveAsync(node, status.Online, status.Text, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), e.CancellationToken).ConfigureAwait(false);
    }

    private async Task RefuseAsync(InterceptingPublishEventArgs e, string node, string topic, ReadOnlyMemory<byte> payload, string reason, MqttPubAckReasonCode code, string detail, bool quarantine)
    {
        e.ProcessPublish = false;
        e.Response.ReasonCode = code;
        e.Response.ReasonString = detail.Length > 200 ? detail[..200] : detail;
        _metrics.Refused.WithLabels(reason).Inc();
        _log.LogWarning(BrokerEvents.PublishRefused, "Refused publish of {NodeId} on {Topic}: {Reason}: {Detail}", node, topic, reason, detail);
        if (reason == RefusalReason.ForeignTopic)
        {
            _events.Raise("acl_publish", Security.SecurityEvents.Warning, null, node, reason, $"publish on {topic} denied: {detail}");
        }

        if (quarantine)
        {
            await _quarantine.AddAsync(node, topic, $"{reason}: {detail}", payload, e.CancellationToken).ConfigureAwait(false);
        }
    }

    private readonly string _serverClientId = string.Empty;
    private readonly Security.SecurityEvents _events;
}
