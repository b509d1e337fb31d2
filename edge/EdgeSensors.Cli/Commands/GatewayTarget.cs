using System.CommandLine;

namespace EdgeSensors.Cli.Commands;

/// <summary>How a command reaches the gateway: its HTTP API with the operator token, or its data folder when it is stopped.</summary>
public sealed class GatewayTarget
{
    public static readonly Option<string> Url = new("--gateway-url")
    {
        Description = "The gateway's HTTP address (env EDGESENSORS_GATEWAY_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EDGESENSORS_GATEWAY_URL") ?? "http://127.0.0.1:8080",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Operator token (env EDGESENSORS_OPERATOR_TOKEN; else read from <data-dir>/operator.token).",
        Recursive = true,
    };

    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "The gateway's data folder, used directly when the gateway is stopped (default /var/lib/edgesensors if it exists).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for scripts instead of sentences.", Recursive = true };

    public static void AddTo(Command root)
    {
        // Every command that talks to the gateway refuses a bad or clear-text remote address before sending anything.
        Url.Validators.Add(r =>
        {
            if (RefuseUrl(r.GetValueOrDefault<string>()) is { } why)
            {
                r.AddError(why);
            }
        });
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(DataDir);
        root.Options.Add(Json);
        root.Options.Add(Ca);
    }

    public static string? ResolveDataDir(ParseResult p)
    {
        string? d = p.GetValue(DataDir);
        if (d != null)
        {
            return d;
        }

        return Directory.Exists("/var/lib/edgesensors") ? "/var/lib/edgesensors" : null;
    }

    /// <summary>
    /// Why a gateway address must not be used, or null. It must be an absolute http(s) URL, and plain http only to this
    /// machine: the operator token in the Authorization header would otherwise cross the commune's Wi-Fi in clear (the
    /// gateway refuses it, but only after it has crossed). Decided from the text alone, before any name is resolved.
    /// </summary>
    public static string? RefuseUrl(string url)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out Uri? uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps) || string.IsNullOrEmpty(uri.Host))
        {
            return $"\"{url}\" is not a gateway address: write it with its scheme, e.g. https://192.168.1.10:8443 (or http://127.0.0.1:8080 on the gateway itself)";
        }

        if (uri.Scheme == Uri.UriSchemeHttp && !uri.IsLoopback)
        {
            return $"refusing to send the operator token in clear to {uri.Host}: use https://{uri.Host}:8443 with the gateway's CA (--ca, from its data/tls/ca.crt); plain http is only for the gateway's own machine";
        }

        return null;
    }

    /// <summary>
    /// An HTTP client for the gateway that trusts the gateway's own CA (its data/tls/ca.crt, or --ca / EDGESENSORS_CA)
    /// for https:// addresses — the operator API takes tokens only over HTTPS from another machine.
    /// </summary>
    public static HttpClient CreateHttp(string url, string? caPath, TimeSpan timeout)
    {
        var handler = new HttpClientHandler();
        if (caPath != null && File.Exists(caPath))
        {
            System.Security.Cryptography.X509Certificates.X509Certificate2 ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(caPath);
            handler.ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            {
                if (errors == System.Net.Security.SslPolicyErrors.None)
                {
                    return true;
                }

                if (cert == null || (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                {
                    return false;
                }

                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return chain.Build(cert);
            };
        }

        return new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri(url), Timeout = timeout };
    }

    /// <summary>
    /// What went wrong reaching the gateway, in one line with its fix. A TLS failure is named as TLS (issue 30: an
    /// untrusted certificate read "Is the service running?", sending the technician to a running service).
    /// </summary>
    public static string Explain(Exception ex, string url, string? caPath)
    {
        bool tls = ex is HttpRequestException { HttpRequestError: HttpRequestError.SecureConnectionError }
            || ex.InnerException is System.Security.Authentication.AuthenticationException;
        if (tls)
        {
            string ca = caPath != null && File.Exists(caPath)
                ? $"the CA given ({caPath}) did not sign the gateway's certificate, or the address is not the one in it: use the gateway's own data/tls/ca.crt and the address it was made for"
                : $"no CA to trust it{(caPath != null ? $" ({caPath} does not exist)" : string.Empty)}: copy the gateway's /var/lib/edgesensors/tls/ca.crt to this machine and pass --ca ca.crt (or EDGESENSORS_CA)";
            return $"TLS: {url} answered with a certificate this machine does not trust — {ca}";
        }

        if (ex is TaskCanceledException or TimeoutException)
        {
            return $"the gateway at {url} did not answer in time: check the address and that this machine is on the gateway's network; on the gateway: systemctl status edgesensors-gateway";
        }

        return $"the gateway at {url} does not answer ({ex.Message}): is the address right and the service running? (on the gateway: systemctl status edgesensors-gateway)";
    }

    /// <summary>The gateway's CA certificate: --ca, EDGESENSORS_CA, or the data folder's tls/ca.crt.</summary>
    public static string? ResolveCa(ParseResult p) =>
        p.GetValue(Ca) ?? Environment.GetEnvironmentVariable("EDGESENSORS_CA") ?? Path.Combine(ResolveDataDir(p) ?? "edge/EdgeSensors.Gateway/data", "tls", "ca.crt");

    public static readonly Option<string?> Ca = new("--ca")
    {
        Description = "The gateway's CA certificate for https:// (env EDGESENSORS_CA; else <data-dir>/tls/ca.crt).",
        Recursive = true,
    };

    public static string? ResolveToken(ParseResult p)
    {
        string? t = p.GetValue(Token) ?? Environment.GetEnvironmentVariable("EDGESENSORS_OPERATOR_TOKEN");
        if (t != null)
        {
            return t;
        }

        string? dir = ResolveDataDir(p);
        string file = Path.Combine(dir ?? "edge/EdgeSensors.Gateway/data", "operator.token");
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
