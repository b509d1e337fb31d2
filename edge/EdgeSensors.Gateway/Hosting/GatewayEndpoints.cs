using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Broker;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Options;
using MQTTnet.AspNetCore;

namespace EdgeSensors.Gateway.Hosting;

/// <summary>
/// Every port the gateway opens, on one Kestrel server (issue 33): the HTTP and HTTPS URLs (<c>Urls</c>) and the node
/// broker's MQTT ports (TLS on <c>Broker:TlsPort</c>; plain <c>Broker:Port</c> only with <c>Broker:AllowPlaintext</c>),
/// the latter handed to MQTTnet's connection handler (<c>MQTTnet.AspNetCore</c>). Each group has its own limits before
/// login (<see cref="Transport.ConnectionLimits"/>), so a flood on the node port leaves the operator's HTTPS answering
/// and the reverse. Kestrel binds either its <c>Urls</c> or endpoints given in code, never both: the URLs are therefore
/// read here and bound as endpoints too, their hosts by the same rule as <c>Broker:BindAddress</c> (<see cref="ListenOn"/>).
/// </summary>
public static class GatewayEndpoints
{
    /// <summary>HTTP/HTTPS connections one address may hold open (a phone opens a handful; the page's live feed one).</summary>
    public const int PerAddressHttpConnections = 64;

    /// <summary>HTTP/HTTPS connections open at once, all addresses together.</summary>
    public const int MaxHttpConnections = 1000;

    /// <summary>Kestrel's default when no URL is configured.</summary>
    private const string DefaultUrls = "http://localhost:5000";

    /// <summary>Registers the endpoints; false, with the problem in one line, when <c>Urls</c> cannot be served.</summary>
    public static bool AddGatewayEndpoints(this WebApplicationBuilder builder, out string? problem)
    {
        string urls = builder.Configuration[WebHostDefaults.ServerUrlsKey] is { Length: > 0 } u ? u : DefaultUrls;
        problem = UrlsProblem(urls, out List<Microsoft.AspNetCore.Http.BindingAddress> http);
        if (problem != null)
        {
            return false;
        }

        builder.Services.AddSingleton(new HttpUrls(urls));
        UrlsAsEndpoints.Register(builder.Services);
        builder.Services.AddMqttConnectionHandler();
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IServiceProvider>((k, sp) =>
        {
            // Limits before login: no request gets to send more than the API ever takes, nor hold a connection idle,
            // nor one address take the connections of everyone else (issue 29). The totals are per group below, not
            // Kestrel's MaxConcurrentConnections, which would count the nodes' connections against the operator's.
            k.Limits.MaxRequestBodySize = 1024 * 1024;
            k.Limits.MaxRequestHeadersTotalSize = 16 * 1024;
            k.Limits.MaxConcurrentConnections = null;
            k.Limits.RequestHeadersTimeout = TimeSpan.FromSeconds(10);
            k.Limits.KeepAliveTimeout = TimeSpan.FromSeconds(20);

            var httpLimits = sp.GetRequiredService<HttpConnectionLimits>().Limits;
            foreach (Microsoft.AspNetCore.Http.BindingAddress a in http)
            {
                bool https = a.Scheme == "https";
                ListenOn(k, a.Host, a.Port, l =>
                {
                    l.Use(httpLimits.Middleware);
                    if (https)
                    {
                        l.UseHttps(); // the gateway's certificate: ConfigureHttpsDefaults in AddGatewayCertificates
                    }
                });
            }

            BrokerOptions b = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            X509Certificate2 cert = !string.IsNullOrEmpty(b.TlsCertificatePath)
                ? X509CertificateLoader.LoadPkcs12FromFile(b.TlsCertificatePath, b.TlsCertificatePassword)
                : sp.GetRequiredService<Transport.GatewayCertificates>().Server;
            NodeConnectionGuard guard = sp.GetRequiredService<NodeConnectionGuard>();
            Observability.GatewayMetrics metrics = sp.GetRequiredService<Observability.GatewayMetrics>();
            var nodeLimits = new Transport.ConnectionLimits(b.MaxConnections, b.MaxConnectionsPerAddress, evictOldest: false, guard.LimitReached,
                open => metrics.NodeSockets.Set(open));
            var tls = new HttpsConnectionAdapterOptions
            {
                ServerCertificate = cert,
                SslProtocols = System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13,
                ClientCertificateMode = ClientCertificateMode.NoCertificate,
                HandshakeTimeout = TimeSpan.FromSeconds(b.ConnectTimeoutSeconds),
            };
            string bind = b.BindAddress;
            ListenOn(k, bind, b.TlsPort, l =>
            {
                l.Use(nodeLimits.Middleware);
                l.Use(guard.TlsOutcome);
                l.UseHttps(tls);
                l.Use(guard.Framing);
                l.UseMqtt();
            });
            if (b.AllowPlaintext && b.Port > 0)
            {
                ListenOn(k, bind, b.Port, l =>
                {
                    l.Use(nodeLimits.Middleware);
                    l.Use(guard.Framing);
                    l.UseMqtt();
                });
            }
        });
        builder.Services.AddSingleton<HttpConnectionLimits>();
        builder.Services.AddSingleton(sp =>
        {
            BrokerOptions b = sp.GetRequiredService<IOptions<BrokerOptions>>().Value;
            return new NodeConnectionGuard(NodeBroker.MaxConnectBytes, Math.Max(64 * 1024, 4 * b.MaxPayloadBytes), sp.GetRequiredService<Observability.GatewayMetrics>(),
                sp.GetRequiredService<Security.SecurityEvents>(), sp.GetRequiredService<ILogger<NodeConnectionGuard>>());
        });
        return true;
    }

    /// <summary>
    /// <c>Urls</c> as Kestrel reads them (<c>;</c>-separated, http or https), or what is wrong, with the entry named.
    /// </summary>
    internal static string? UrlsProblem(string urls, out List<Microsoft.AspNetCore.Http.BindingAddress> list)
    {
        list = [];
        foreach (string url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            Microsoft.AspNetCore.Http.BindingAddress a;
            try
            {
                a = Microsoft.AspNetCore.Http.BindingAddress.Parse(url);
            }
            catch (FormatException ex)
            {
                return $"Urls: \"{url}\" is not a URL such as http://0.0.0.0:8080 ({ex.Message})";
            }

            if (a.Scheme is not ("http" or "https") || a.IsUnixPipe || a.IsNamedPipe)
            {
                return $"Urls: \"{url}\": the gateway serves http:// and https:// on a port, such as https://0.0.0.0:8443";
            }

            list.Add(a);
        }

        return list.Count == 0 ? "Urls names no address: give one such as http://0.0.0.0:8080;https://0.0.0.0:8443" : null;
    }

    /// <summary>
    /// Where a host is listened on, the same rule for the URLs and <c>Broker:BindAddress</c>: <c>localhost</c> is the
    /// loopback of both families; an address is that address alone (<c>127.0.0.1</c> does not also listen on [::]);
    /// <c>0.0.0.0</c>, <c>::</c>, <c>*</c> or a name are every address of both families ([::] in dual mode, or 0.0.0.0
    /// where the machine has no IPv6).
    /// </summary>
    private static void ListenOn(KestrelServerOptions k, string host, int port, Action<ListenOptions> configure)
    {
        if (string.Equals(host, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            k.ListenLocalhost(port, configure);
        }
        else if (IPAddress.TryParse(host, out IPAddress? ip) && !ip.Equals(IPAddress.Any) && !ip.Equals(IPAddress.IPv6Any))
        {
            k.Listen(ip, port, configure);
        }
        else
        {
            k.ListenAnyIP(port, configure);
        }
    }

    /// <summary>
    /// Kestrel with the configured URLs taken out of its address list just before it binds: they are bound above as
    /// endpoints, and left in, Kestrel would warn at every start that they are "overridden" — true of its mechanics,
    /// misleading in a technician's log, since every URL is served. Only that list is touched; the server is Kestrel.
    /// </summary>
    private sealed class UrlsAsEndpoints(Microsoft.AspNetCore.Hosting.Server.IServer kestrel) : Microsoft.AspNetCore.Hosting.Server.IServer
    {
        public Microsoft.AspNetCore.Http.Features.IFeatureCollection Features => kestrel.Features;

        public static void Register(IServiceCollection services)
        {
            ServiceDescriptor kestrel = services.Last(d => d.ServiceType == typeof(Microsoft.AspNetCore.Hosting.Server.IServer));
            Type implementation = kestrel.ImplementationType ?? throw new InvalidOperationException("Kestrel is not registered by type");
            services.Remove(kestrel);
            services.AddSingleton<Microsoft.AspNetCore.Hosting.Server.IServer>(sp =>
                new UrlsAsEndpoints((Microsoft.AspNetCore.Hosting.Server.IServer)ActivatorUtilities.CreateInstance(sp, implementation)));
        }

        public Task StartAsync<TContext>(Microsoft.AspNetCore.Hosting.Server.IHttpApplication<TContext> application, CancellationToken cancellationToken)
            where TContext : notnull
        {
            Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()?.Addresses.Clear();
            return kestrel.StartAsync(application, cancellationToken);
        }

        public Task StopAsync(CancellationToken cancellationToken) => kestrel.StopAsync(cancellationToken);

        public void Dispose() => kestrel.Dispose();
    }

    /// <summary>The HTTP and HTTPS URLs as configured (the startup summary names them; app.Urls would list the node ports too).</summary>
    public sealed record HttpUrls(string Value);

    /// <summary>One set of limits for the HTTP and HTTPS ports together.</summary>
    public sealed class HttpConnectionLimits
    {
        public Transport.ConnectionLimits Limits { get; } = new(MaxHttpConnections, PerAddressHttpConnections, evictOldest: true);
    }
}
