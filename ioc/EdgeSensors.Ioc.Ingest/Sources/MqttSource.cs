using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Pipeline;
using Microsoft.Extensions.Options;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeSensors.Ioc.Ingest.Sources;

/// <summary>
/// Any MQTT 5 broker (Mosquitto, EMQX, HiveMQ): a shared subscription ($share/{group}/ioc/+/+/telemetry …) so
/// several instances split the gateways' messages, QoS 1, a persistent session, and each message acknowledged (PUBACK)
/// only after the pipeline committed it — MQTTnet's manual acknowledgement.
/// </summary>
public sealed class MqttSource(InboundBuffer queue, IOptions<IngestOptions> options, IngestMetrics metrics, ILogger<MqttSource> log) : BackgroundService
{
    private readonly IngestOptions _options = options.Value;
    private readonly MqttSourceOptions _mqtt = options.Value.Mqtt;

    public string State { get; private set; } = "starting";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += async e =>
        {
            e.AutoAcknowledge = false;
            byte[] body = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
            // Waits while the pipeline is behind: backpressure to the broker instead of memory.
            await queue.Writer.WriteAsync(new InboundMessage(e.ApplicationMessage.Topic, body, ct => e.AcknowledgeAsync(ct)), stoppingToken).ConfigureAwait(false);
        };

        var backoff = new SourceBackoff();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                if (!client.IsConnected)
                {
                    State = "connecting";
                    MqttClientConnectResult result = await client.ConnectAsync(BuildOptions(), stoppingToken).ConfigureAwait(false);
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        throw new InvalidOperationException($"the broker refused the connection: {result.ResultCode}");
                    }

                    if (!result.IsSessionPresent)
                    {
                        var subscribe = new MqttClientSubscribeOptionsBuilder();
                        foreach (string topic in _mqtt.Topics)
                        {
                            subscribe = subscribe.WithTopicFilter(string.IsNullOrEmpty(_mqtt.ShareGroup) ? topic : $"$share/{_mqtt.ShareGroup}/{topic}", MqttQualityOfServiceLevel.AtLeastOnce);
                        }

                        await client.SubscribeAsync(subscribe.Build(), stoppingToken).ConfigureAwait(false);
                    }

                    backoff.Reset();
                    State = "connected";
                    metrics.SourceConnected.Set(1);
                    log.LogInformation("Subscribed at MQTT broker {Host}:{Port} to {Topics} (share group {Group})", _mqtt.Host, _mqtt.Port, string.Join(", ", _mqtt.Topics), _mqtt.ShareGroup);
                }

                await Task.Delay(1000, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                metrics.SourceConnected.Set(0);
                State = "retrying: " + ex.Message;
                int delay = (int)backoff.Next().TotalMilliseconds;
                log.LogWarning("MQTT broker {Host}:{Port} not reachable ({Reason}); retrying in {DelayMs} ms", _mqtt.Host, _mqtt.Port, ex.Message, delay);
                try
                {
                    await Task.Delay(delay, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }

        metrics.SourceConnected.Set(0);
        if (client.IsConnected)
        {
            await client.DisconnectAsync(new MqttClientDisconnectOptions(), CancellationToken.None).ConfigureAwait(false);
        }
    }

    private MqttClientOptions BuildOptions()
    {
        MqttClientOptionsBuilder b = new MqttClientOptionsBuilder()
            .WithTcpServer(_mqtt.Host, _mqtt.Port)
            .WithClientId(_mqtt.ClientId ?? $"ingest-{_options.EffectiveInstanceName}")
            .WithProtocolVersion(MqttProtocolVersion.V500)
            .WithCleanStart(false)
            .WithSessionExpiryInterval(24 * 3600)
            .WithKeepAlivePeriod(TimeSpan.FromSeconds(30));
        if (!string.IsNullOrEmpty(_mqtt.Username))
        {
            b = b.WithCredentials(_mqtt.Username, _mqtt.PasswordFile is { Length: > 0 } f ? File.ReadAllText(f).Trim() : null);
        }

        if (_mqtt.Tls)
        {
            b = b.WithTlsOptions(t =>
            {
                t.UseTls().WithTargetHost(_mqtt.Host);
                if (_mqtt.CaCertificatePath is { Length: > 0 } ca)
                {
                    var trust = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(ca);
                    t.WithTrustChain([trust]);
                }
            });
        }

        MqttClientOptions options = b.Build();
        if (options.ChannelOptions is MqttClientTcpOptions tcp)
        {
            tcp.BufferSize = 1024 * 1024; // MQTTnet's 8 KiB default switches off TCP window scaling (see the gateway's uplink)
        }

        return options;
    }
}
