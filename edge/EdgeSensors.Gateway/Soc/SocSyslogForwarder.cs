using System.Net.Security;
using System.Net.Sockets;
using System.Text;
using System.Threading.Channels;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Security;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Options;
using EdgeSensors.Gateway.Transport;

namespace EdgeSensors.Gateway.Soc;

/// <summary>
/// Sends the gateway's security events and its audit trail to the province's SOC as RFC 5424 syslog (issue 15):
/// over TLS (RFC 5425) by default, or TCP with octet counting (RFC 6587), or UDP (RFC 5426). Structured data
/// edgesensors@PEN carries the fields a SIEM correlates on (site, source address, node, reason, account, action);
/// meta sequenceId lets the SOC see a gap. Events wait in a bounded queue while the receiver is away; beyond it the
/// oldest are dropped and counted (edgesensors_soc_events_total{result="dropped"}), never silently. Before the queue,
/// each source's events of one kind are limited per minute and the rest summarised (<see cref="SecurityEventLimiter"/>),
/// so one flooding connection cannot push other events out.
/// </summary>
public sealed class SocSyslogForwarder : BackgroundService
{
    private const string App = "edgesensors-gateway";
    private readonly SyslogOptions _options;
    private readonly string _site;
    private readonly GatewayMetrics _metrics;
    private readonly ILogger<SocSyslogForwarder> _log;
    private readonly Channel<string>? _queue;
    private readonly PrivateTrust? _trust;
    private readonly string _procId = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
    private readonly string _sdId;
    private long _sequence;
    private readonly SecurityEventLimiter _limiter;
    private volatile string _state;
    private volatile string? _lastError;

    public SocSyslogForwarder(IOptions<SyslogOptions> options, IOptions<GatewayOptions> gateway, SecurityEvents events, IAuditLog audit, GatewayMetrics metrics, ILogger<SocSyslogForwarder> log)
    {
        _options = options.Value;
        _site = gateway.Value.Site;
        _metrics = metrics;
        _log = log;
        _sdId = $"edgesensors@{_options.EnterpriseNumber}";
        _limiter = new SecurityEventLimiter(_options.MaxEventsPerSourcePerMinute);
        if (string.IsNullOrWhiteSpace(_options.Host))
        {
            _state = "disabled";
            return;
        }

        _state = "connecting";
        if (_options.Transport == "tls")
        {
            _trust = new PrivateTrust(_options.CaCertificatePath, _options.PinnedCertificateSha256);
        }

        _queue = Channel.CreateBounded<string>(
            new BoundedChannelOptions(_options.QueueCapacity) { FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true },
            _ => _metrics.SocEvents.WithLabels("dropped").Inc());
        // Subscribed at construction, so that events of the start-up (a guesser already knocking) are not missed.
        events.Raised += OnSecurityEvent;
        audit.Recorded += OnAudit;
    }

    /// <summary>disabled, connecting, connected or retrying.</summary>
    public string State => _state;

    public string? LastError => _lastError;

    public string? Target => _queue == null ? null : $"{_options.Transport}://{_options.Host}:{_options.EffectivePort}";

    private void OnSecurityEvent(SecurityEvent e)
    {
        if (!_limiter.Admit(e))
        {
            _metrics.SocEvents.WithLabels("summarised").Inc();
            return;
        }

        Send(e);
        foreach (SecurityEvent summary in _limiter.TakeSummaries())
        {
            Send(summary);
        }
    }

    private void Send(SecurityEvent e) => Enqueue(Rfc5424.FacilityAuth, e.Severity, e.At, e.Kind,
        [new("site", _site), new("src", e.Source), new("node", e.Node), new("reason", e.Reason)], e.Message);

    private void OnAudit(AuditEntry a) => Enqueue(Rfc5424.FacilityLogAudit, a.Action == "login_failed" ? SecurityEvents.Warning : SecurityEvents.Notice,
        DateTimeOffset.FromUnixTimeSeconds(a.Ts), a.Action,
        [new("site", _site), new("account", a.Account), new("action", a.Action), new("target", a.Target), new("detail", a.Detail), new("audit_id", a.Id.ToString(System.Globalization.CultureInfo.InvariantCulture))],
        $"operator {a.Account}: {a.Action}" + (a.Target != null ? $" {a.Target}" : string.Empty));

    private void Enqueue(int facility, int severity, DateTimeOffset at, string msgId, KeyValuePair<string, string?>[] sd, string message)
    {
        long seq = ((Interlocked.Increment(ref _sequence) - 1) % int.MaxValue) + 1;
        string line = Rfc5424.Format(facility, severity, at, Environment.MachineName, App, _procId, msgId, _sdId, sd, seq, message);
        _metrics.SocEvents.WithLabels("queued").Inc();
        _queue!.Writer.TryWrite(line);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (_queue == null)
        {
            return;
        }

        // Summaries of minutes that went quiet are sent even when no new event comes to carry them.
        _ = Task.Run(async () =>
        {
            using var tick = new PeriodicTimer(TimeSpan.FromSeconds(5));
            while (await tick.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                foreach (SecurityEvent summary in _limiter.TakeSummaries())
                {
                    Send(summary);
                }
            }
        }, stoppingToken).ContinueWith(static _ => { }, TaskScheduler.Default);

        string? pending = null;
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await using Sender sender = await ConnectAsync(stoppingToken).ConfigureAwait(false);
                _state = "connected";
                _lastError = null;
                backoff.Reset();
                _log.LogInformation(SocEvents.Connected, "Sending security events to the SOC at {Target}", Target);
                while (true)
                {
                    pending ??= await _queue.Reader.ReadAsync(stoppingToken).ConfigureAwait(false);
                    await sender.SendAsync(pending, stoppingToken).ConfigureAwait(false);
                    _metrics.SocEvents.WithLabels("sent").Inc();
                    pending = null;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex) when (ex is SocketException or IOException or System.Security.Authentication.AuthenticationException or ObjectDisposedException)
            {
                // The event in hand is kept and sent first after the reconnect.
                _state = "retrying";
                _lastError = ex.Message;
                TimeSpan wait = backoff.Next();
                _log.LogWarning(SocEvents.SendFailed, "SOC syslog receiver {Target} unreachable: {Reason}; retrying in {Seconds} s", Target, ex.Message, Math.Round(wait.TotalSeconds, 1));
                try
                {
                    await Task.Delay(wait, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
    }

    private async Task<Sender> ConnectAsync(CancellationToken ct)
    {
        string host = _options.Host!;
        int port = _options.EffectivePort;
        if (_options.Transport == "udp")
        {
            var udp = new UdpClient();
            udp.Connect(host, port);
            return new Sender(udp, null);
        }

        var tcp = new TcpClient { NoDelay = true };
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(10));
            await tcp.ConnectAsync(host, port, timeout.Token).ConfigureAwait(false);
            Stream stream = tcp.GetStream();
            if (_options.Transport == "tls")
            {
                var tls = new SslStream(stream, false, (_, cert, _, errors) => _trust!.Validate(cert, errors));
                await tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions
                {
                    TargetHost = host,
                    EnabledSslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                }, timeout.Token).ConfigureAwait(false);
                stream = tls;
            }

            return new Sender(tcp, stream);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            tcp.Dispose();
            throw new IOException($"no answer from {host}:{port} within 10 s");
        }
        catch
        {
            tcp.Dispose();
            throw;
        }
    }

    private sealed class Sender : IAsyncDisposable
    {
        private readonly IDisposable socket;
        private readonly Stream? stream;
        private volatile bool _closed;

        public Sender(IDisposable socket, Stream? stream)
        {
            this.socket = socket;
            this.stream = stream;
            if (stream != null)
            {
                // A syslog receiver never sends data back; reading sees its close (and consumes TLS 1.3 session
                // tickets), so the next event goes to a fresh connection instead of into a socket that is already gone.
                _ = Task.Run(async () =>
                {
                    byte[] buffer = new byte[512];
                    try
                    {
                        while (await stream.ReadAsync(buffer).ConfigureAwait(false) > 0)
                        {
                        }
                    }
                    catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException or NotSupportedException)
                    {
                    }

                    _closed = true;
                });
            }
        }

        public async Task SendAsync(string message, CancellationToken ct)
        {
            if (_closed)
            {
                throw new IOException("the receiver closed the connection");
            }

            byte[] body = Encoding.UTF8.GetBytes(message);
            if (stream == null)
            {
                // RFC 5426: one message per datagram.
                await ((UdpClient)socket).SendAsync(body, ct).ConfigureAwait(false);
                return;
            }

            // RFC 6587 §3.4.1 / RFC 5425 §4.3: octet counting, "MSG-LEN SP SYSLOG-MSG".
            byte[] prefix = Encoding.ASCII.GetBytes($"{body.Length} ");
            await stream.WriteAsync(prefix, ct).ConfigureAwait(false);
            await stream.WriteAsync(body, ct).ConfigureAwait(false);
            await stream.FlushAsync(ct).ConfigureAwait(false);
        }

        public async ValueTask DisposeAsync()
        {
            if (stream != null)
            {
                await stream.DisposeAsync().ConfigureAwait(false);
            }

            socket.Dispose();
        }
    }
}

internal static class SocEvents
{
    public static readonly EventId Connected = new(1801, nameof(Connected));
    public static readonly EventId SendFailed = new(1802, nameof(SendFailed));
}
