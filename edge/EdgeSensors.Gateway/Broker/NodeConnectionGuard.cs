using System.IO.Pipelines;
using System.Net;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Observability;
using Microsoft.AspNetCore.Connections;

namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// What the node broker's Kestrel endpoints do before MQTTnet sees a byte (issue 33: these used to be our own accept
/// loop): tell a failed or stalled TLS handshake from a good one and report it, and put <see cref="MqttFraming"/> on the
/// connection's input (a CONNECT of at most 2 KiB first; no packet over the broker's limit), so nothing
/// unauthenticated is read whole. The endpoint's chain is: <see cref="Transport.ConnectionLimits"/> → <see cref="TlsOutcome"/>
/// → Kestrel's TLS (handshake within the connect timeout) → <see cref="Framing"/> → MQTTnet's connection handler.
/// </summary>
public sealed class NodeConnectionGuard(int maxConnectBytes, int maxPacketBytes, GatewayMetrics metrics, Security.SecurityEvents events, ILogger log)
{
    private const string SecuredKey = "edgesensors.tls-established";
    private long _lastLimitWarning;
    private int _refusedSinceWarning;

    /// <summary>Outside Kestrel's TLS: a connection that ends without reaching the inner chain failed its handshake.</summary>
    public ConnectionDelegate TlsOutcome(ConnectionDelegate next) => async connection =>
    {
        await next(connection).ConfigureAwait(false);
        if (!connection.Items.ContainsKey(SecuredKey))
        {
            string? address = (connection.RemoteEndPoint as IPEndPoint)?.Address.ToString();
            metrics.Refused.WithLabels(RefusalReason.TlsHandshake).Inc();
            events.Raise("tls_failed", Security.SecurityEvents.Informational, address, null, RefusalReason.TlsHandshake, "TLS handshake failed or timed out");
            log.LogInformation(BrokerEvents.ConnectionRefused, "TLS handshake from {Endpoint} failed or timed out", connection.RemoteEndPoint);
        }
    };

    /// <summary>Inside TLS (or on the plain lab port): the framing check on the input, reported when it cuts.</summary>
    public ConnectionDelegate Framing(ConnectionDelegate next) => async connection =>
    {
        connection.Items[SecuredKey] = true;
        var framing = new MqttFraming(maxConnectBytes, maxPacketBytes);
        IDuplexPipe original = connection.Transport;
        connection.Transport = new GuardedPipe(new MqttFramingGuardPipeReader(original.Input, framing), original.Output);
        try
        {
            await next(connection).ConfigureAwait(false);
        }
        finally
        {
            connection.Transport = original;
            if (framing.Violation is { } why)
            {
                string reason = framing.NotMqtt ? RefusalReason.NotMqtt : RefusalReason.OversizePacket;
                metrics.Refused.WithLabels(reason).Inc();
                events.Raise("connection_cut", Security.SecurityEvents.Warning, (connection.RemoteEndPoint as IPEndPoint)?.Address.ToString(), null, reason, "connection cut before its data was read: " + why);
                log.LogWarning(BrokerEvents.ConnectionRefused, "Connection from {Endpoint} cut before its data was read: {Reason}", connection.RemoteEndPoint, why);
            }
        }
    };

    /// <summary>
    /// A connection refused by the node ports' limits: counted each time, logged at most every 10 s with how many, so a
    /// flood cannot fill the log while a tester whose emulated fleet outgrew the per-address limit still reads why.
    /// </summary>
    public void LimitReached(ConnectionContext connection, string why)
    {
        metrics.Refused.WithLabels(RefusalReason.TooManyConnections).Inc();
        int refused = Interlocked.Increment(ref _refusedSinceWarning);
        long now = Environment.TickCount64;
        long last = Interlocked.Read(ref _lastLimitWarning);
        if (now - last >= 10_000 && Interlocked.CompareExchange(ref _lastLimitWarning, now, last) == last)
        {
            Interlocked.Exchange(ref _refusedSinceWarning, 0);
            log.LogWarning(BrokerEvents.ConnectionRefused,
                "Refused {Count} node connection(s) in the last 10 s, the latest from {Endpoint}: {Why} (Broker:MaxConnections, Broker:MaxConnectionsPerAddress)",
                refused, connection.RemoteEndPoint, why);
            events.Raise("connection_limit", Security.SecurityEvents.Warning, (connection.RemoteEndPoint as IPEndPoint)?.Address.ToString(), null, RefusalReason.TooManyConnections,
                $"{refused} node connection(s) refused in 10 s: {why}");
        }
    }

    private sealed class GuardedPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
