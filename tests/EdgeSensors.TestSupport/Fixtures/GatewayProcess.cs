using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// The real gateway, run as its own process from its build output, so tests can SIGKILL it mid-stream and start it
/// again on the same data folder. Talks to it over MQTT (nodes) and HTTP (/health, /metrics, /api).
/// </summary>
public sealed class GatewayProcess : IAsyncDisposable
{
    public const string OperatorToken = "test-operator-token-0123456789";
    private readonly Dictionary<string, string> _settings;
    private readonly ConcurrentQueue<string> _output = new();
    private Process? _process;

    public GatewayProcess(string dataDirectory, int? uplinkPort = null, IDictionary<string, string>? extra = null)
    {
        DataDirectory = dataDirectory;
        MqttPort = FreePort.Next();
        TlsPort = FreePort.Next();
        HttpPort = FreePort.Next();
        HttpsPort = FreePort.Next();
        _settings = new Dictionary<string, string>
        {
            ["Gateway:Site"] = "test-site",
            ["Gateway:DataDirectory"] = dataDirectory,
            ["Broker:Port"] = MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Broker:TlsPort"] = TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            // The tests' nodes are on the lab bench (loopback): plain MQTT explicitly enabled, as a lab would.
            // The secure-default tests set it back to false and use the TLS port.
            ["Broker:AllowPlaintext"] = "true",
            ["Broker:BindAddress"] = "127.0.0.1",
            ["Urls"] = $"http://127.0.0.1:{HttpPort};https://127.0.0.1:{HttpsPort}",
            ["Admin:OperatorToken"] = OperatorToken,
            ["Store:MaintenanceIntervalMs"] = "200",
            ["Uplink:ReconnectBaseMs"] = "100",
            ["Uplink:ReconnectMaxMs"] = "1000",
        };
        if (uplinkPort is int p)
        {
            _settings["Uplink:Host"] = "127.0.0.1";
            _settings["Uplink:Port"] = p.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        foreach (var kv in extra ?? new Dictionary<string, string>())
        {
            _settings[kv.Key] = kv.Value;
        }

        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
        Http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
    }

    public string DataDirectory { get; }

    /// <summary>Environment variables for the process (as systemd would set NOTIFY_SOCKET or WATCHDOG_USEC).</summary>
    public Dictionary<string, string> Environment { get; } = [];

    public int MqttPort { get; }

    /// <summary>The node listener's TLS port (always open; the only one in a default installation).</summary>
    public int TlsPort { get; }

    /// <summary>The gateway's CA (made at first start in its data folder).</summary>
    public string CaPath => Path.Combine(DataDirectory, "tls", "ca.crt");

    public int HttpPort { get; }

    /// <summary>HTTPS with the gateway's own certificate (how another machine must reach the operator API).</summary>
    public int HttpsPort { get; }

    public HttpClient Http { get; }

    public string Output => string.Join('\n', _output);

    private readonly List<(string Text, TaskCompletionSource Done)> _logWaiters = [];

    /// <summary>
    /// Completes when a metric meets <paramref name="condition"/>, reading /metrics each time the gateway's own gauge
    /// refresh may have changed it (its backlog and store gauges are refreshed once a second at most).
    /// </summary>
    public async Task<double> WaitForMetricAsync(string name, string? labelFilter, Func<double, bool> condition, TimeSpan timeout, string what)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
        DateTime until = DateTime.UtcNow + timeout;
        double value;
        while (!condition(value = await MetricAsync(name, labelFilter).ConfigureAwait(false)))
        {
            if (DateTime.UtcNow > until || !await timer.WaitForNextTickAsync().ConfigureAwait(false))
            {
                throw new TimeoutException($"waited {timeout.TotalSeconds:0} s for {what}: {name} is {value}");
            }
        }

        return value;
    }

    /// <summary>Completes when a line of the gateway's output contains <paramref name="text"/> (already, or from now): a signal, not a poll.</summary>
    public async Task WaitForLogAsync(string text, TimeSpan timeout)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_logWaiters)
        {
            if (_output.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _logWaiters.Add((text, done));
        }

        try
        {
            await done.Task.WaitAsync(timeout).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the gateway did not log \"{text}\" within {timeout.TotalSeconds:0} s");
        }
    }

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    /// <summary>
    /// An operator's HTTPS client that trusts the gateway's own CA (data/tls/ca.crt) and nothing else, on the gateway's
    /// HTTPS port or <paramref name="port"/> (a tap in front of it), with the operator token.
    /// </summary>
    public HttpClient CreateHttpsClient(int? port = null, TimeSpan? timeout = null)
    {
        System.Security.Cryptography.X509Certificates.X509Certificate2 ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(CaPath);
        var handler = new HttpClientHandler
        {
            ServerCertificateCustomValidationCallback = (_, cert, _, errors) =>
            {
                using var chain = new System.Security.Cryptography.X509Certificates.X509Chain();
                chain.ChainPolicy.TrustMode = System.Security.Cryptography.X509Certificates.X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck;
                return cert != null && (errors & System.Net.Security.SslPolicyErrors.RemoteCertificateNameMismatch) == 0 && chain.Build(cert);
            },
        };
        var client = new HttpClient(handler, disposeHandler: true) { BaseAddress = new Uri($"https://127.0.0.1:{port ?? HttpsPort}"), Timeout = timeout ?? TimeSpan.FromSeconds(100) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", OperatorToken);
        return client;
    }

    /// <summary>Resident memory of the running gateway, MB (from /proc).</summary>
    public double RssMb()
    {
        string line = File.ReadAllLines($"/proc/{_process!.Id}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    /// <summary>Starts the process; waits until both listeners are up.</summary>
    public async Task StartAsync()
    {
        _process = Launch();
        await FreePort.WaitListeningOrExitAsync(_process, HttpPort, TimeSpan.FromSeconds(60), "the gateway", () => Output);
        // Kestrel binds HTTP and HTTPS one after the other: a test that goes straight to HTTPS once met a reset
        // (a clean-clone CI run under load), so both are awaited.
        if (_settings.TryGetValue("Urls", out string? urls) && urls.Contains($":{HttpsPort}", StringComparison.Ordinal))
        {
            await FreePort.WaitListeningAsync(HttpsPort, TimeSpan.FromSeconds(30));
        }

        await FreePort.WaitListeningAsync(_settings["Broker:AllowPlaintext"] == "true" ? MqttPort : TlsPort, TimeSpan.FromSeconds(30));
    }

    /// <summary>Starts the process and waits for it to exit (for refusals at start-up).</summary>
    public async Task<int> RunToExitAsync(TimeSpan timeout)
    {
        _process = Launch();
        await _process.WaitForExitAsync().WaitAsync(timeout);
        await Task.Delay(100);
        return _process.ExitCode;
    }

    /// <summary>SIGTERM, as systemd stops a service; returns the exit code (throws if it does not exit in time).</summary>
    public async Task<int> TerminateAsync(TimeSpan timeout)
    {
        using (Process kill = Process.Start("kill", ["-TERM", _process!.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await _process.WaitForExitAsync().WaitAsync(timeout);
        await Task.Delay(100);
        return _process.ExitCode;
    }

    /// <summary>kill -9: no shutdown, no flush.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(); // SIGKILL on Linux
            await _process.WaitForExitAsync();
        }
    }

    public async Task<string> MetricsAsync() => await Http.GetStringAsync("/metrics");

    /// <summary>A metric's value (sum over labels matching the filter), 0 when absent.</summary>
    public async Task<double> MetricAsync(string name, string? labelFilter = null)
    {
        string text = await MetricsAsync();
        return text.Split('\n')
            .Where(l => l.StartsWith(name, StringComparison.Ordinal) && (l.Length > name.Length && (l[name.Length] == ' ' || l[name.Length] == '{')))
            .Where(l => labelFilter == null || l.Contains(labelFilter, StringComparison.Ordinal))
            .Sum(l => double.Parse(l[(l.LastIndexOf(' ') + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }

    public async Task<JsonElement> HealthAsync() => await Http.GetFromJsonAsync<JsonElement>("/api/health");

    /// <summary>Registers a node through the admin API; returns its secret.</summary>
    public async Task<string> RegisterNodeAsync(string id, double lat = 9.7845, double lon = 105.4701, string place = "Vị Thanh")
    {
        HttpResponseMessage r = await Http.PostAsJsonAsync("/api/nodes", new { id, lat, lon, place });
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"register {id}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
    }

    private Process Launch()
    {
        string dll = GatewayBuildAttribute.Dll;
        if (!File.Exists(dll))
        {
            throw new FileNotFoundException($"Gateway build not found at {dll}; build edge/EdgeSensors.Gateway first.");
        }

        var psi = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(dll);
        foreach (var kv in _settings)
        {
            psi.ArgumentList.Add($"--{kv.Key}={kv.Value}");
        }

        psi.Environment["DOTNET_gcServer"] = "0";
        foreach (var kv in Environment)
        {
            psi.Environment[kv.Key] = kv.Value;
        }

        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                _output.Enqueue(e.Data);
                lock (_logWaiters)
                {
                    foreach (var w in _logWaiters.Where(w => e.Data.Contains(w.Text, StringComparison.Ordinal)).ToList())
                    {
                        _logWaiters.Remove(w);
                        w.Done.TrySetResult();
                    }
                }
            }
        };
        p.ErrorDataReceived += (_, e) => { if (e.Data != null) { _output.Enqueue("ERR " + e.Data); } };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }
}
