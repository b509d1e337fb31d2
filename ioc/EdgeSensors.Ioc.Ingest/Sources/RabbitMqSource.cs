using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Pipeline;
using Microsoft.Extensions.Options;
using RabbitMQ.Client;
using RabbitMQ.Client.Events;

namespace EdgeSensors.Ioc.Ingest.Sources;

/// <summary>
/// RabbitMQ over AMQP 0-9-1 with the official client: a durable quorum queue (replicated over the cluster's nodes by
/// Raft) bound to the exchange RabbitMQ's MQTT plugin publishes the gateways' messages into. Every instance consumes
/// from the same queue with a prefetch window; a message is acknowledged only after its batch committed. When an
/// instance dies, RabbitMQ hands its unacknowledged messages to the others (the store keeps each reading once). The
/// source reconnects by itself, to another node of the cluster when one is down.
/// </summary>
public sealed class RabbitMqSource(InboundBuffer queue, IOptions<IngestOptions> options, IngestMetrics metrics, ILogger<RabbitMqSource> log) : BackgroundService
{
    private readonly RabbitMqSourceOptions _rabbit = options.Value.RabbitMq;
    private readonly string _instance = options.Value.EffectiveInstanceName;

    public string State { get; private set; } = "starting";

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var factory = new ConnectionFactory
        {
            VirtualHost = _rabbit.VirtualHost,
            UserName = _rabbit.Username,
            Password = _rabbit.EffectivePassword ?? "guest",
            // Not the client's automatic recovery: a recovered channel numbers its deliveries afresh, and an
            // acknowledgement of a batch received before the break could then confirm a different message that is not
            // committed yet. A new connection and channel per break (below) make such a late ack fail harmlessly.
            AutomaticRecoveryEnabled = false,
            TopologyRecoveryEnabled = false,
            ClientProvidedName = $"edgesensors-ingest-{_instance}",
            ConsumerDispatchConcurrency = 1,
        };
        var endpoints = new List<AmqpTcpEndpoint> { Endpoint(_rabbit.Host, _rabbit.Port) };
        endpoints.AddRange(_rabbit.MoreHosts.Select(h => h.Split(':') is [string host, string port] ? Endpoint(host, int.Parse(port, System.Globalization.CultureInfo.InvariantCulture)) : Endpoint(h, _rabbit.Port)));

        var backoff = new SourceBackoff();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                State = "connecting";
                await using IConnection connection = await factory.CreateConnectionAsync(endpoints, stoppingToken).ConfigureAwait(false);
                await using IChannel channel = await connection.CreateChannelAsync(cancellationToken: stoppingToken).ConfigureAwait(false);
                await channel.QueueDeclareAsync(_rabbit.Queue, durable: true, exclusive: false, autoDelete: false, arguments: new Dictionary<string, object?>
                {
                    ["x-queue-type"] = "quorum",
                    ["x-delivery-limit"] = _rabbit.DeliveryLimit,
                }, cancellationToken: stoppingToken).ConfigureAwait(false);
                foreach (string key in _rabbit.Bindings)
                {
                    await channel.QueueBindAsync(_rabbit.Queue, _rabbit.Exchange, key, cancellationToken: stoppingToken).ConfigureAwait(false);
                }

                await channel.BasicQosAsync(0, (ushort)_rabbit.Prefetch, false, stoppingToken).ConfigureAwait(false);
                var consumer = new AsyncEventingBasicConsumer(channel);
                consumer.ReceivedAsync += async (_, e) =>
                {
                    // The body is the client's buffer only until this handler returns.
                    byte[] body = e.Body.ToArray();
                    ulong tag = e.DeliveryTag;
                    string topic = e.RoutingKey.Replace('.', '/'); // the MQTT plugin's mapping, reversed
                    await queue.Writer.WriteAsync(new InboundMessage(topic, body, ct => channel.BasicAckAsync(tag, false, ct).AsTask()), stoppingToken).ConfigureAwait(false);
                };
                string tagName = await channel.BasicConsumeAsync(_rabbit.Queue, autoAck: false, consumer, stoppingToken).ConfigureAwait(false);
                backoff.Reset();
                State = "connected";
                metrics.SourceConnected.Set(1);
                log.LogInformation("Consuming quorum queue {Queue} on {Endpoint} ({Bindings} from {Exchange}), prefetch {Prefetch}", _rabbit.Queue, connection.Endpoint, string.Join(", ", _rabbit.Bindings), _rabbit.Exchange, _rabbit.Prefetch);
                while (!stoppingToken.IsCancellationRequested && channel.IsOpen && connection.IsOpen)
                {
                    await Task.Delay(200, stoppingToken).ConfigureAwait(false);
                }

                _ = tagName;
                if (!stoppingToken.IsCancellationRequested)
                {
                    throw new InvalidOperationException("the channel closed: " + channel.CloseReason?.ReplyText);
                }
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
                log.LogWarning("RabbitMQ not reachable or the channel failed ({Reason}); retrying in {DelayMs} ms", ex.Message, delay);
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
    }

    private AmqpTcpEndpoint Endpoint(string host, int port) =>
        _rabbit.Tls ? new AmqpTcpEndpoint(host, port, new SslOption(host, enabled: true)) : new AmqpTcpEndpoint(host, port);
}
