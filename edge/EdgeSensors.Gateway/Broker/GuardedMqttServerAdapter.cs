using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Observability;
using MQTTnet.Adapter;
using MQTTnet.Formatter;
using MQTTnet.Implementations;
using MQTTnet.Server;

namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// The node broker's listeners: MQTTnet's server behind our own accept loop, so that limits hold before login.
/// Each connection gets the TLS handshake within the connect timeout, then <see cref="MqttFramingGuardStream"/> on its
/// stream (the first packet must be a small CONNECT; no packet may announce more than the broker's limit), and only
/// then goes to MQTTnet through its public channel adapter. Everything MQTT — parsing, sessions, QoS — stays
/// MQTTnet's; this adds only what MQTTnet's own TCP adapter lacks (incoming size limits), which is why it is written
/// here rather than taken from a library.
/// </summary>
public sealed class GuardedMqttServerAdapter(
    X509Certificate2 certificate,
    int maxConnectBytes,
    int maxPacketBytes,
    TimeSpan handshakeTimeout,
    GatewayMetrics metrics,
    Security.SecurityEvents events,
    ILogger log) : IMqttServerAdapter
{
    private readonly List<Socket> _listeners = [];
    private readonly CancellationTokenSource _stop = new();
    private MQTTnet.Diagnostics.Logger.IMqttNetLogger? _mqttLogger;

    public Func<IMqttChannelAdapter, Task>? ClientHandler { get; set; }

    public Task StartAsync(MqttServerOptions options, MQTTnet.Diagnostics.Logger.IMqttNetLogger logger)
    {
        _mqttLogger = logger;
        if (options.DefaultEndpointOptions.IsEnabled)
        {
            Listen(options.DefaultEndpointOptions, tls: false);
        }

        if (options.TlsEndpointOptions.IsEnabled)
        {
            Listen(options.TlsEndpointOptions, tls: true);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync()
    {
        _stop.Cancel();
        foreach (Socket s in _listeners)
        {
            s.Dispose();
        }

        _listeners.Clear();
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        StopAsync().GetAwaiter().GetResult();
        _stop.Dispose();
    }

    private void Listen(MqttServerTcpEndpointBaseOptions endpoint, bool tls)
    {
        foreach (IPAddress address in new[] { endpoint.BoundInterNetworkAddress, endpoint.BoundInterNetworkV6Address })
        {
            if (address.Equals(IPAddress.None))
            {
                continue;
            }

            var socket = new Socket(address.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
            if (address.AddressFamily == AddressFamily.InterNetworkV6)
            {
                socket.DualMode = false; // IPv4 has its own listener (or none, when bound to one address)
            }

            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            socket.Bind(new IPEndPoint(address, endpoint.Port));
            socket.Listen(endpoint.ConnectionBacklog > 0 ? endpoint.ConnectionBacklog : 512);
            _listeners.Add(socket);
            _ = AcceptLoopAsync(socket, tls);
        }
    }

    private async Task AcceptLoopAsync(Socket listener, bool tls)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException ex)
            {
                log.LogWarning(BrokerEvents.ConnectionRefused, "Accept failed: {Reason}", ex.SocketErrorCode);
                continue;
            }

            _ = HandleAsync(client, tls);
        }
    }

    private async Task HandleAsync(Socket socket, bool tls)
    {
        EndPoint? remote = socket.RemoteEndPoint;
        socket.NoDelay = true;
        Stream stream = new NetworkStream(socket, ownsSocket: true);
        MqttFramingGuardStream? guard = null;
        try
        {
            if (tls)
            {
                var ssl = new SslStream(stream, leaveInnerStreamOpen: false);
                stream = ssl;
                using var timeout = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
                timeout.CancelAfter(handshakeTimeout);
                await ssl.AuthenticateAsServerAsync(new SslServerAuthenticationOptions
                {
                    ServerCertificate = certificate,
                    EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                    ClientCertificateRequired = false,
                }, timeout.Token).ConfigureAwait(false);
            }

            guard = new MqttFramingGuardStream(stream, maxConnectBytes, maxPacketBytes);
            stream = guard;
            using var channel = new MqttTcpChannel(guard, socket.LocalEndPoint!, remote!, null!);
            using var adapter = new MqttChannelAdapter(channel, new MqttPacketFormatterAdapter(new MqttBufferWriter(4096, 65535)), _mqttLogger!);
            if (ClientHandler != null)
            {
                await ClientHandler(adapter).ConfigureAwait(false);
            }
        }
        catch (Exception ex) when (ex is AuthenticationException or IOException or OperationCanceledException or SocketException or ObjectDisposedException)
        {
            if (tls && guard == null)
            {
                metrics.Refused.WithLabels(RefusalReason.TlsHandshake).Inc();
                events.Raise("tls_failed", Security.SecurityEvents.Informational, (remote as System.Net.IPEndPoint)?.Address.ToString(), null, RefusalReason.TlsHandshake, "TLS handshake failed or timed out: " + ex.Message);
                log.LogInformation(BrokerEvents.ConnectionRefused, "TLS handshake from {Endpoint} failed or timed out: {Reason}", remote, ex.Message);
            }
        }
        finally
        {
            if (guard?.Violation is { } why)
            {
                string reason = why.StartsWith("the first", StringComparison.Ordinal) || why.StartsWith("malformed", StringComparison.Ordinal) ? RefusalReason.NotMqtt : RefusalReason.OversizePacket;
                metrics.Refused.WithLabels(reason).Inc();
                events.Raise("connection_cut", Security.SecurityEvents.Warning, (remote as System.Net.IPEndPoint)?.Address.ToString(), null, reason, "connection cut before its data was read: " + why);
                log.LogWarning(BrokerEvents.ConnectionRefused, "Connection from {Endpoint} cut before its data was read: {Reason}", remote, why);
            }

            await stream.DisposeAsync().ConfigureAwait(false);
        }
    }
}
