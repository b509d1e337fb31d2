using System.Collections.Concurrent;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// The IOC's side: a persistent-session subscriber to ioc/# on the Mosquitto broker that records every message and
/// every reading id it receives, reconnecting by itself when the broker restarts.
/// </summary>
public sealed class IocRecorder : IAsyncDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly int _port;
    private readonly CancellationTokenSource _stop = new();
    private Task? _keeper;

    private readonly bool _tls;

    public IocRecorder(int port, bool tls = false)
    {
        _port = port;
        _tls = tls;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            string topic = e.ApplicationMessage.Topic;
            string payload = Encoding.UTF8.GetString(e.ApplicationMessage.Payload);
            Messages.Enqueue((topic, payload));
            if (topic.EndsWith("/telemetry", StringComparison.Ordinal))
            {
                using JsonDocument doc = JsonDocument.Parse(payload);
                string node = doc.RootElement.GetProperty("node").GetString()!;
                foreach (JsonElement r in doc.RootElement.GetProperty("readings").EnumerateArray())
                {
                    var id = (node, r.GetProperty("boot").GetUInt32(), r.GetProperty("seq").GetUInt32());
                    ReadingCounts.AddOrUpdate(id, 1, (_, n) => n + 1);
                }
            }

            return Task.CompletedTask;
        };
    }

    public ConcurrentQueue<(string Topic, string Payload)> Messages { get; } = new();

    /// <summary>Connection history, for diagnosing a failed reconciliation.</summary>
    public ConcurrentQueue<string> Connections { get; } = new();

    /// <summary>How many times each (node, boot, seq) arrived.</summary>
    public ConcurrentDictionary<(string Node, uint Boot, uint Seq), int> ReadingCounts { get; } = new();

    public async Task StartAsync()
    {
        await ConnectAsync(CancellationToken.None);
        _keeper = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                await Task.Delay(100);
                if (!_client.IsConnected)
                {
                    try
                    {
                        await ConnectAsync(_stop.Token);
                    }
                    catch (Exception)
                    {
                        // broker down: keep trying
                    }
                }
            }
        });
    }

    public async Task WaitForAsync(Func<IocRecorder, bool> condition, TimeSpan timeout, string what)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (!condition(this))
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"IOC did not receive {what} within {timeout.TotalSeconds} s");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_keeper != null)
        {
            await _keeper;
        }

        if (_client.IsConnected)
        {
            await _client.DisconnectAsync();
        }

        _client.Dispose();
        _stop.Dispose();
    }

    private async Task ConnectAsync(CancellationToken ct)
    {
        var builder = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", _port).WithClientId("ioc-recorder")
            .WithCleanSession(false).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311);
        if (_tls)
        {
            // The recorder is the test's own eye on the broker: it trusts the test CA's server without checking.
            builder = builder.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(_ => true));
        }

        var options = builder.Build();
        // MQTTnet pins the socket buffers to 8 KiB by default, which turns off TCP window scaling: a recorder with a
        // backlog queued for it then receives in zero-window probes (the bench's stall, issue 12).
        ((MqttClientTcpOptions)options.ChannelOptions).BufferSize = 4 * 1024 * 1024;
        MqttClientConnectResult result = await _client.ConnectAsync(options, ct);
        Connections.Enqueue($"{DateTime.UtcNow:HH:mm:ss.fff} connected, session present {result.IsSessionPresent}, {ReadingCounts.Count} readings so far");
        if (!result.IsSessionPresent)
        {
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("ioc/#", MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct);
        }
    }
}
