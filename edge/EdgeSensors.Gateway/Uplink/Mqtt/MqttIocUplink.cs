using System.Security.Cryptography;
using EdgeSensors.Gateway.Options;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeSensors.Gateway.Uplink.Mqtt;

/// <summary>
/// The uplink to any standard MQTT 3.1.1/5 broker at the IOC (Mosquitto, EMQX, RabbitMQ's MQTT plugin…), through
/// MQTTnet. Persistent session (clean session off), QoS 1, TLS with a CA file or a pinned certificate, username and
/// password or a client certificate. Topics come from the configured templates.
/// </summary>
public sealed class MqttIocUplink : IIocUplink
{
    private readonly UplinkOptions _options;
    private readonly string _site;
    private readonly IMqttClient _client;

    public MqttIocUplink(IOptions<UplinkOptions> options, IOptions<GatewayOptions> gateway)
    {
        _options = options.Value;
        _site = gateway.Value.Site;
        _client = new MqttClientFactory().CreateMqttClient();
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

    public bool IsConnected => _client.IsConnected;

    public async Task ConnectAsync(CancellationToken ct)
    {
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder()
            .WithTcpServer(_options.Host, _options.EffectivePort)
            .WithClientId(_options.ClientId ?? $"edgesensors-{_site}")
            .WithCleanSession(false)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30))
            .WithTimeout(TimeSpan.FromSeconds(20))
            .WithProtocolVersion(_options.ProtocolVersion == 3 ? MqttProtocolVersion.V311 : MqttProtocolVersion.V500);
        if (_options.ProtocolVersion != 3)
        {
            builder = builder.WithSessionExpiryInterval(7 * 24 * 3600);
        }

        if (!string.IsNullOrEmpty(_options.Username))
        {
            builder = builder.WithCredentials(_options.Username, _options.EffectivePassword);
        }

        // TCP, TLS and the incoming packet limit in one stream (GuardedUplinkStreamProvider). MQTTnet would set
        // SO_SNDBUF and SO_RCVBUF to 8 KiB, which switches off the kernel's buffer autotuning and TCP window scaling: a
        // drain to the IOC then crawls at one small window per round trip (measured in the bench, issue 12); the
        // provider's socket uses UplinkSocketBufferBytes.
        builder = builder.WithStreamProvider(new GuardedUplinkStreamProvider(_options, _options.Host));
        MqttClientOptions options = builder.Build();

        MqttClientConnectResult connected = await _client.ConnectAsync(options, ct).ConfigureAwait(false);
        if (connected.ResultCode != MqttClientConnectResultCode.Success)
        {
            throw new InvalidOperationException($"the IOC broker refused the connection: {connected.ResultCode} {connected.ReasonString}".TrimEnd());
        }
    }

    /// <summary>Socket buffers of the IOC connection (the kernel doubles it for its own bookkeeping).</summary>
    public const int UplinkSocketBufferBytes = 1024 * 1024;

    // The encoder hands over exact-size arrays: pass them on instead of copying each payload once more.
    private static byte[] WholeArray(ReadOnlyMemory<byte> payload) =>
        System.Runtime.InteropServices.MemoryMarshal.TryGetArray(payload, out ArraySegment<byte> a) && a.Offset == 0 && a.Count == a.Array!.Length
            ? a.Array
            : payload.ToArray();

    public async Task<bool> PublishAsync(IocMessage message, CancellationToken ct)
    {
        string topic = (message.Kind switch
        {
            IocMessageKind.Readings => _options.TelemetryTopic,
            IocMessageKind.Alert => _options.AlertsTopic,
            IocMessageKind.Gap => _options.GapsTopic,
            IocMessageKind.Marks => _options.MarksTopic,
            IocMessageKind.Latest => _options.LatestTopic,
            _ => throw new ArgumentException($"a standard MQTT broker has no topic for {message.Kind} messages", nameof(message)),
        }).Replace("{site}", _site, StringComparison.Ordinal).Replace("{node}", message.Node ?? "_", StringComparison.Ordinal);

        MqttApplicationMessageBuilder builder = new MqttApplicationMessageBuilder()
            .WithTopic(topic)
            .WithPayload(WholeArray(message.Payload))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithRetainFlag(message.Kind == IocMessageKind.Latest);
        if (_options.ProtocolVersion == 5)
        {
            // MQTT 3.1.1 (RabbitMQ's plugin in 3.x) has no message properties: MQTTnet refuses a content type there.
            builder = builder.WithContentType(message.Kind == IocMessageKind.Readings && _options.Payload == "senml" ? SenmlEncoder.ContentType : "application/json");
        }

        MqttApplicationMessage m = builder.Build();
        try
        {
            MqttClientPublishResult result = await _client.PublishAsync(m, ct).ConfigureAwait(false);
            return result.IsSuccess;
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or InvalidOperationException or OperationCanceledException)
        {
            return false;
        }
    }

    public Task DisconnectAsync() => MqttUplinkLink.DisconnectQuietlyAsync(_client);

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync().ConfigureAwait(false);
        _client.Dispose();
    }

    // The hub's (or broker's) certificate names it, whatever address it is reached through.
}
