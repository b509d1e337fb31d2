using System.Buffers;
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;
using EdgeSensors.Gateway.Uplink.Mqtt;

namespace EdgeSensors.Gateway.Uplink.IotHub;

/// <summary>
/// Azure IoT Hub through its documented device MQTT interface, over MQTTnet (the SDK package is not available to this
/// build; docs/uplink.md): MQTT 3.1.1 over TLS, client id = device id, username
/// "{hub}/{device}/?api-version=…", password a SAS token signed here from the device key and renewed after three
/// quarters of its life — at a moment with nothing in flight, so no reading is lost or re-ordered. Telemetry goes to
/// "devices/{device}/messages/events/{property bag}" with the content type, encoding, kind, node and reading ids as
/// properties; sends are paced below the hub's throttles and kept under its 256 KB message limit (the forwarder
/// splits bigger batches). Cloud-to-device messages ("devices/{device}/messages/devicebound/#") are applied as config
/// changes or refused with a reason; each is completed (PUBACK) only after it was handled, and the answer goes back
/// as a "command-result" message.
/// </summary>
public sealed class IotHubUplink : IIocUplink
{
    /// <summary>IoT Hub's device-to-cloud message limit, properties included.</summary>
    public const int HubMessageLimitBytes = 256 * 1024;

    private const int PropertyAllowance = 4 * 1024;
    private readonly UplinkOptions _options;
    private readonly IotHubOptions _hub;
    private readonly string _site;
    private readonly IMqttClient _client;
    private readonly ICloudCommandHandler _commands;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<IotHubUplink> _log;
    private readonly TimeProvider _time;
    private readonly Lock _order = new();
    private readonly Lock _inFlightLock = new();
    private readonly HashSet<Task> _inFlight = [];
    private Task _lastStarted = Task.CompletedTask;
    private IotHubConnectionString? _identity;
    private DateTimeOffset _renewAt = DateTimeOffset.MaxValue;
    private long _nextSendAt;

    public IotHubUplink(IOptions<UplinkOptions> options, IOptions<GatewayOptions> gateway, ICloudCommandHandler commands, GatewayMetrics metrics, ILogger<IotHubUplink> log, TimeProvider? time = null)
    {
        _options = options.Value;
        _hub = _options.IotHub;
        _site = gateway.Value.Site;
        _commands = commands;
        _metrics = metrics;
        _log = log;
        _time = time ?? TimeProvider.System;
        _client = new MqttClientFactory().CreateMqttClient();
        _client.ApplicationMessageReceivedAsync += OnCloudMessageAsync;
        _client.DisconnectedAsync += e =>
        {
            if (e.ClientWasConnected)
            {
                LastDisconnectReason = e.Exception?.InnerException?.Message ?? e.Exception?.Message ?? e.ReasonString ?? e.Reason.ToString();
            }

            return Task.CompletedTask;
        };
    }

    /// <inheritdoc/>
    public string? LastDisconnectReason { get; private set; }

    /// <summary>Connected, and the token is not yet due for renewal (an idle link is renewed by reconnecting).</summary>
    public bool IsConnected => _client.IsConnected && !RenewalDue;

    public int MaxPayloadBytes => HubMessageLimitBytes - PropertyAllowance;

    public bool CarriesIds => true;

    private bool RenewalDue => _time.GetUtcNow() >= _renewAt;

    private string EventsTopic => $"devices/{_identity!.DeviceId}/messages/events/";

    private string CloudTopicPrefix => $"devices/{_identity!.DeviceId}/messages/devicebound/";

    public async Task ConnectAsync(CancellationToken ct)
    {
        if (_client.IsConnected && RenewalDue)
        {
            await RenewAsync(ct).ConfigureAwait(false); // idle: the forwarder saw IsConnected turn false
        }
        else
        {
            await ConnectAsync(renewal: false, ct).ConfigureAwait(false);
        }
    }

    private async Task ConnectAsync(bool renewal, CancellationToken ct)
    {
        if (_client.IsConnected)
        {
            await DisconnectAsync().ConfigureAwait(false);
        }

        _identity = IotHubConnectionString.TryParse(_hub.EffectiveConnectionString, out string? error)
            ?? throw new InvalidOperationException($"Uplink:IotHub:ConnectionString {error}");
        DateTimeOffset now = _time.GetUtcNow();
        var lifetime = TimeSpan.FromSeconds(_hub.TokenLifetimeSeconds);
        DateTimeOffset expiry = now + lifetime;
        string token = IotHubSas.DeviceToken(_identity.HostName, _identity.DeviceId, _identity.Key, expiry);

        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.EffectiveHost, _options.EffectivePort)
            .WithClientId(_identity.DeviceId)
            .WithCredentials($"{_identity.HostName}/{_identity.DeviceId}/?api-version={_hub.ApiVersion}", token)
            .WithCleanSession(false) // cloud-to-device messages queued while away are delivered on return
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(_hub.KeepAliveSeconds))
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithStreamProvider(new GuardedUplinkStreamProvider(_options, _identity.HostName)); // TLS and the packet limit: see MqttIocUplink
        MqttClientOptions options = builder.Build();

        // MQTTnet's connect failure names the CONNACK code, never the password.
        MqttClientConnectResult connected = await _client.ConnectAsync(options, ct).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"IoT Hub refused device {_identity.DeviceId}: {connected.ResultCode}{(connected.ResultCode is MqttClientConnectResultCode.NotAuthorized or MqttClientConnectResultCode.BadUserNameOrPassword ? " (check the device key in Uplink:IotHub:ConnectionString, and the clock: SAS tokens carry an expiry)" : string.Empty)}");
        }
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(CloudTopicPrefix + "#", MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct).ConfigureAwait(false);
        _renewAt = now + (lifetime * 3 / 4);
        _metrics.UplinkTokens.WithLabels(renewal ? "renew" : "connect").Inc();
        _log.LogInformation(IotHubEvents.Connected, "IoT Hub {Hub}: device {Device} connected (api-version {ApiVersion}); its token is valid until {Expiry:u} and is renewed from {RenewAt:u}",
            _identity.HostName, _identity.DeviceId, _hub.ApiVersion, expiry, _renewAt);
    }

    public async Task<bool> PublishAsync(IocMessage message, CancellationToken ct)
    {
        // Messages start in call order even when a renewal or the pacing makes a call wait: each waits for the one
        // before it to have started.
        Task previous;
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_order)
        {
            previous = _lastStarted;
            _lastStarted = started.Task;
        }

        Task<MqttClientPublishResult> publish;
        try
        {
            await previous.ConfigureAwait(false);
            if (RenewalDue)
            {
                await RenewAsync(ct).ConfigureAwait(false);
            }

            if (message.Payload.Length > MaxPayloadBytes)
            {
                _log.LogError(IotHubEvents.Oversize, "A {Kind} message of {Bytes} bytes is over IoT Hub's 256 KB limit and was not sent", message.Kind, message.Payload.Length);
                return false;
            }

            await PaceAsync(ct).ConfigureAwait(false);
            MqttApplicationMessage m = new MqttApplicationMessageBuilder()
                .WithTopic(EventsTopic + PropertyBag(message))
                .WithPayload(new ReadOnlySequence<byte>(message.Payload))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                .Build();
            publish = _client.PublishAsync(m, ct);
            lock (_inFlightLock)
            {
                _inFlight.Add(publish);
            }
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            started.TrySetResult();
        }

        try
        {
            MqttClientPublishResult result = await publish.ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
        finally
        {
            lock (_inFlightLock)
            {
                _inFlight.Remove(publish);
            }
        }
    }

    /// <summary>
    /// A fresh token means a fresh connection (MQTT has no way to change the password of a live one). It happens
    /// after everything in flight is acknowledged, so the forwarder's ordering and checkpoint are untouched.
    /// </summary>
    private async Task RenewAsync(CancellationToken ct)
    {
        Task[] waiting;
        lock (_inFlightLock)
        {
            waiting = [.. _inFlight];
        }

        try
        {
            await Task.WhenAll(waiting).WaitAsync(TimeSpan.FromSeconds(60), ct).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            // A failed publish is the forwarder's to retry; the renewal goes ahead.
        }

        _log.LogInformation(IotHubEvents.TokenRenewed, "IoT Hub token renewal: {Waited} messages in flight were acknowledged first", waiting.Length);
        await ConnectAsync(renewal: true, ct).ConfigureAwait(false);
    }

    private async Task PaceAsync(CancellationToken ct)
    {
        long interval = (long)(Stopwatch.Frequency / _hub.MaxMessagesPerSecond);
        long now = Stopwatch.GetTimestamp();
        long at = Math.Max(now, _nextSendAt);
        _nextSendAt = at + interval;
        if (at > now)
        {
            await Task.Delay(Stopwatch.GetElapsedTime(now, at), _time, ct).ConfigureAwait(false);
        }
    }

    private string PropertyBag(IocMessage message)
    {
        string kind = message.Kind switch
        {
            IocMessageKind.Readings => "readings",
            IocMessageKind.Alert => "alert",
            IocMessageKind.Gap => "gap",
            IocMessageKind.Marks => "marks",
            IocMessageKind.Latest => "latest",
            _ => "command-result",
        };
        bool senml = message.Kind == IocMessageKind.Readings && _options.Payload == "senml";
        var sb = new StringBuilder(256);
        Add(sb, "$.ct", senml ? SenmlEncoder.ContentType : "application/json");
        Add(sb, "$.ce", "utf-8");
        Add(sb, "kind", kind);
        Add(sb, "schema", senml ? "senml" : "edgesensors-v1");
        Add(sb, "site", _site);
        if (message.Node != null)
        {
            Add(sb, "node", message.Node);
        }

        if (message.Ids is { Length: > 0 } ids)
        {
            // A message id the IOC can deduplicate on: the same readings always carry the same one.
            string mid = $"{_site}/{message.Node}/{ids}";
            Add(sb, "$.mid", mid.Length <= 128 ? mid : mid[..128]);
            Add(sb, "ids", ids.Length <= 2048 ? ids : ids[..ids.LastIndexOf(',', 2047)] + ",…");
        }

        return sb.ToString();
    }

    private static void Add(StringBuilder sb, string name, string value)
    {
        if (sb.Length > 0)
        {
            sb.Append('&');
        }

        sb.Append(Uri.EscapeDataString(name).Replace("%24", "$", StringComparison.Ordinal)).Append('=').Append(Uri.EscapeDataString(value));
    }

    /// <summary>Parses "a=1&amp;b=x%2Fy" (the property bag at the end of a device-bound topic).</summary>
    public static Dictionary<string, string> ParseProperties(string bag)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in bag.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            int eq = pair.IndexOf('=', StringComparison.Ordinal);
            string name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
            result[name] = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
        }

        return result;
    }

    private Task OnCloudMessageAsync(MqttApplicationMessageReceivedEventArgs e)
    {
        string topic = e.ApplicationMessage.Topic;
        if (_identity == null || !topic.StartsWith(CloudTopicPrefix, StringComparison.Ordinal))
        {
            return Task.CompletedTask;
        }

        // Completed (PUBACK) only once handled: a command the gateway did not get to is delivered again. Handled off
        // MQTTnet's receive loop, which must stay free to take the acknowledgements of our own sends.
        e.AutoAcknowledge = false;
        byte[] body = e.ApplicationMessage.Payload.ToArray();
        Dictionary<string, string> properties = ParseProperties(topic[CloudTopicPrefix.Length..]);
        _ = Task.Run(async () =>
        {
            CloudCommandResult result;
            try
            {
                result = _hub.AcceptCloudToDevice
                    ? await _commands.HandleAsync(properties, body, CancellationToken.None).ConfigureAwait(false)
                    : new CloudCommandResult(false, "cloud-to-device commands are switched off at this gateway (Uplink:IotHub:AcceptCloudToDevice)");
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                result = new CloudCommandResult(false, "the gateway failed applying it: " + ex.Message);
            }

            _metrics.CloudCommands.WithLabels(result.Applied ? "applied" : "refused").Inc();
            properties.TryGetValue("$.mid", out string? mid);
            _log.LogInformation(IotHubEvents.CloudCommand, "IoT Hub cloud-to-device message {MessageId}: {Result} — {Detail}", mid ?? "-", result.Applied ? "applied" : "refused", result.Detail);
            byte[] answer = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, object?>
            {
                ["v"] = 1,
                ["site"] = _site,
                ["kind"] = "command-result",
                ["mid"] = mid,
                ["applied"] = result.Applied,
                ["detail"] = result.Detail,
                ["at"] = _time.GetUtcNow().ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
            });
            await PublishAsync(new IocMessage(IocMessageKind.CommandResult, null, answer), CancellationToken.None).ConfigureAwait(false);
            try
            {
                await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or ObjectDisposedException)
            {
                // The link dropped: IoT Hub delivers it again and the same change is applied (idempotently) again.
            }
        });
        return Task.CompletedTask;
    }

    public Task DisconnectAsync() => MqttUplinkLink.DisconnectQuietlyAsync(_client);

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        _client.Dispose();
    }

    // The hub's (or broker's) certificate names it, whatever address it is reached through.
}
