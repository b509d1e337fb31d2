using System.Buffers;
using System.Collections.Concurrent;
using EdgeSensors.Node.Cycle;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// The node logic's transport seam on desktop .NET: MQTTnet (MQTT 5), non-blocking — operations start tasks and
/// the cycle polls them, so one scheduler thread drives a thousand nodes. A Wi-Fi fault makes the link fail as the
/// device's would.
/// </summary>
public sealed class MqttNodeTransport : INodeTransport, IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<byte[]> _config = new();
    private readonly Dictionary<int, Task<MqttClientPublishResult>> _publishes = [];
    private Task? _connect;
    private bool _failedFast;
    private int _next;

    public MqttNodeTransport()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _config.Enqueue(e.ApplicationMessage.Payload.ToArray());
            return Task.CompletedTask;
        };
    }

    /// <summary>False during a Wi-Fi outage.</summary>
    public bool WifiUp { get; set; } = true;

    /// <summary>Why the last connect failed (for the run's report when no node ever got through).</summary>
    public string? LastConnectError { get; private set; }

    /// <summary>Whether this node's connection ever came up.</summary>
    public bool EverConnected { get; private set; }

    public TransportState State
    {
        get
        {
            if (!WifiUp || _failedFast)
            {
                return TransportState.Failed;
            }

            if (_connect == null)
            {
                return TransportState.Disconnected;
            }

            if (!_connect.IsCompleted)
            {
                return TransportState.Connecting;
            }

            if (_connect.IsFaulted || _connect.IsCanceled)
            {
                LastConnectError = _connect.Exception?.GetBaseException().Message ?? "connect cancelled";
                return TransportState.Failed;
            }

            if (_client.IsConnected)
            {
                EverConnected = true;
                return TransportState.Connected;
            }

            return TransportState.Disconnected;
        }
    }

    public void BeginConnect(ConnectRequest request)
    {
        _failedFast = !WifiUp;
        if (_failedFast)
        {
            return;
        }

        _connect = ConnectAsync(request);
    }

    public int Publish(string topic, byte[] payload, bool retain)
    {
        if (State != TransportState.Connected)
        {
            return -1;
        }

        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build();
        _publishes[++_next] = _client.PublishAsync(message);
        return _next;
    }

    public PublishState GetPublishState(int token)
    {
        if (!_publishes.TryGetValue(token, out Task<MqttClientPublishResult>? task))
        {
            return PublishState.Failed;
        }

        if (!task.IsCompleted)
        {
            return WifiUp ? PublishState.Pending : PublishState.Failed;
        }

        _publishes.Remove(token);
        return task.IsCompletedSuccessfully && task.Result.IsSuccess ? PublishState.Acknowledged : PublishState.Failed;
    }

    public byte[]? TakeConfigMessage() => _config.TryDequeue(out byte[]? m) ? m : null;

    public void Disconnect()
    {
        _failedFast = false;
        _connect = null;
        foreach (var t in _publishes.Values)
        {
            _ = t.ContinueWith(static x => _ = x.Exception, TaskScheduler.Default);
        }

        _publishes.Clear();
        if (_client.IsConnected)
        {
            _ = _client.DisconnectAsync().ContinueWith(static x => _ = x.Exception, TaskScheduler.Default);
        }
    }

    public void Dispose() => _client.Dispose();

    private async Task ConnectAsync(ConnectRequest r)
    {
        var builder = new MqttClientOptionsBuilder();
        if (r.Tls && r.CaPem != null)
        {
            // As the device does: TLS, trusting the gateway's CA from node.json and nothing else.
            var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            ca.ImportFromPem(r.CaPem);
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(r.Host).WithTrustChain(ca));
        }

        var options = builder
            .WithTcpServer(r.Host, r.Port)
            .WithClientId(r.ClientId)
            .WithCredentials(r.Username, r.Password)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanSession(true)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(60))
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithWillTopic(r.WillTopic).WithWillPayload(r.WillPayload).WithWillRetain().WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .Build();
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync().ConfigureAwait(false);
        }

        await _client.ConnectAsync(options).ConfigureAwait(false);
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(r.ConfigTopic, MqttQualityOfServiceLevel.AtLeastOnce).Build()).ConfigureAwait(false);
    }
}
