using System.Text;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A node as the gateway sees it: a real MQTTnet client (MQTT 5) publishing QoS 1 telemetry encoded by the node
/// library's own encoder, and remembering which readings the gateway acknowledged.
/// </summary>
public sealed class TestNode : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private uint _seq;

    public TestNode(string id, string secret, uint boot = 0)
    {
        Id = id;
        Secret = secret;
        Boot = boot == 0 ? (uint)Random.Shared.Next(1, int.MaxValue) : boot;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            (string, string) m = (e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload));
            lock (_waiters)
            {
                Received.Add(m);
                foreach (var w in _waiters.Where(w => w.Match(m)).ToList())
                {
                    _waiters.Remove(w);
                    w.Done.TrySetResult(m);
                }
            }

            return Task.CompletedTask;
        };
    }

    private readonly List<(Func<(string Topic, string Payload), bool> Match, TaskCompletionSource<(string Topic, string Payload)> Done)> _waiters = [];

    /// <summary>The first message received (already, or from now) that matches: a signal to wait for, not a poll.</summary>
    public async Task<(string Topic, string Payload)> WaitForMessageAsync(Func<(string Topic, string Payload), bool> match, TimeSpan timeout, string what)
    {
        var done = new TaskCompletionSource<(string Topic, string Payload)>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            foreach ((string, string) m in Received)
            {
                if (match(m))
                {
                    return m;
                }
            }

            _waiters.Add((match, done));
        }

        try
        {
            return await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{Id} did not receive {what} within {timeout.TotalSeconds:0} s");
        }
    }

    public string Id { get; }

    public string Secret { get; }

    public uint Boot { get; }

    public HashSet<uint> Acknowledged { get; } = [];

    public List<(string Topic, string Payload)> Received { get; } = [];

    public bool IsConnected => _client.IsConnected;

    public static Reading SampleReading(double salinity = 1.82) => new()
    {
        SalinityPpt = salinity,
        EcMsCm = 3.61,
        WaterTempC = 28.4,
        LevelM = 0.82,
        AirPressureHpa = 1008.2,
        AirTempC = 31.2,
        HumidityPct = 71,
    };

    public async Task<(bool Ok, string Reason)> ConnectAsync(int port, string? username = null, string? password = null, string? clientId = null, string? trustedCaPem = null, TimeSpan? timeout = null)
    {
        var builder = new MqttClientOptionsBuilder();
        if (trustedCaPem != null)
        {
            var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            ca.ImportFromPemFile(trustedCaPem);
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost("127.0.0.1").WithTrustChain(ca));
        }

        var options = builder
            .WithTcpServer("127.0.0.1", port)
            .WithClientId(clientId ?? Id)
            .WithCredentials(username ?? Id, password ?? Secret)
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithWillTopic(Topics.Status(Id)).WithWillPayload(StatusEncoder.Offline(Id, Boot)).WithWillRetain().WithWillQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
            .WithTimeout(timeout ?? TimeSpan.FromSeconds(10))
            .WithKeepAlivePeriod(timeout is { } t && t > TimeSpan.FromSeconds(15) ? t * 2 : TimeSpan.FromSeconds(15))
            .Build();
        try
        {
            MqttClientConnectResult result = await _client.ConnectAsync(options);
            return (result.ResultCode == MqttClientConnectResultCode.Success, result.ResultCode.ToString());
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException ex)
        {
            return (false, ex.Message);
        }
    }

    public Sample NextSample(double salinity = 1.82, bool sync = true) =>
        new(Boot, ++_seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), sync, SampleReading(salinity));

    /// <summary>The next sample, taken at a given time (unix seconds).</summary>
    public Sample SampleAt(double salinity, long ts, bool sync = true) => new(Boot, ++_seq, ts, sync, SampleReading(salinity));

    /// <summary>Publishes samples at QoS 1; records them as acknowledged only on a successful PUBACK.</summary>
    public async Task<MqttClientPublishResult> PublishAsync(params Sample[] samples)
    {
        byte[] payload = TelemetryEncoder.Encode(Id, samples, 3.9, -60, Topics.MaxPayloadBytes, out int included);
        Assert.Equal(samples.Length, included);
        MqttClientPublishResult result = await PublishRawAsync(Topics.Telemetry(Id), payload);
        if (result.IsSuccess)
        {
            foreach (Sample s in samples)
            {
                Acknowledged.Add(s.Seq);
            }
        }

        return result;
    }

    public Task<MqttClientPublishResult> PublishRawAsync(string topic, byte[] payload, bool retain = false) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag(retain).Build());

    public async Task<MqttClientSubscribeResult> SubscribeAsync(string filter) =>
        await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(filter, MqttQualityOfServiceLevel.AtLeastOnce).Build());

    public async Task DisconnectAsync()
    {
        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await DisconnectAsync();
        }
        catch (Exception)
        {
        }

        _client.Dispose();
    }
}
