using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeSensors.Bench;

/// <summary>
/// The integrator's alternative, measured beside the gateway in one run on the same load (issue 12): (a) a Mosquitto
/// broker with persistence bridged to an upstream Mosquitto, (b) the EdgeSensors gateway forwarding to its own upstream
/// Mosquitto. N nodes each publish M one-sample protocol-v1 telemetry messages at QoS 1, awaiting each PUBACK as a node
/// does; every reading is counted by (node, boot, seq) at the upstream. In crash mode the edge is SIGKILLed K times
/// mid-stream and restarted; publishers re-send what was not acknowledged, with the same ids, as nodes do.
/// Prints per side: end-to-end readings/s, p50/p99 latency, acknowledged-but-lost, duplicates, CPU seconds per 1,000
/// readings and peak RSS of the edge process, and store bytes per reading.
/// </summary>
public static class BridgeBench
{
    internal const string Site = "bench-site";
    private const string Token = "bench-operator-token-0123456789";
    internal static readonly string[] MosquittoPaths = ["/usr/sbin/mosquitto", "/usr/bin/mosquitto"];

    public static async Task<int> RunAsync(int nodes, int readings, int kills, string? resultsFile, bool plain = false)
    {
        if (!Prerequisites(out string mosquitto, out string gatewayDll))
        {
            return 1;
        }

        string mode = (kills > 0 ? $"crash ({kills} SIGKILLs of the edge)" : "throughput") + (plain ? ", plain MQTT on the nodes' side" : ", TLS on the nodes' side");
        Console.WriteLine($"bridge benchmark, {mode}: {nodes} nodes × {readings} QoS 1 readings, protocol v1, one sample per message; {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        // Issue 33: every real node speaks TLS to its gateway, so both sides take TLS on the nodes' side by default
        // (Mosquitto with a TLS listener, the gateway's own default listener); --plain compares plain MQTT.
        Result bridge = await RunSideAsync(new MosquittoBridgeEdge(mosquitto, tls: !plain), mosquitto, nodes, readings, kills);
        Result gateway = await RunSideAsync(new GatewayEdge(gatewayDll, tls: !plain), mosquitto, nodes, readings, kills);
        string table = Table(bridge, gateway);
        Console.WriteLine(table);
        await AppendResultsAsync(resultsFile, $"bridge {mode}, {nodes} × {readings}", table);

        return 0;
    }

    /// <summary>Mosquitto installed and the gateway's Release build present (every mode needs both).</summary>
    internal static bool Prerequisites(out string mosquitto, out string gatewayDll)
    {
        mosquitto = MosquittoPaths.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("mosquitto is not installed (apt-get install mosquitto; .ci/run does it)");
        gatewayDll = Path.Combine(RepoRoot(), "edge", "EdgeSensors.Gateway", "bin", "Release", "net10.0", "EdgeSensors.Gateway.dll");
        if (File.Exists(gatewayDll))
        {
            return true;
        }

        Console.Error.WriteLine($"{gatewayDll} not found: run with -c Release (dotnet run -c Release --project bench/EdgeSensors.Bench -- bridge)");
        return false;
    }

    /// <summary>Appends a titled table to the results file.</summary>
    internal static async Task AppendResultsAsync(string? resultsFile, string title, string table)
    {
        if (resultsFile == null)
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(resultsFile))!);
        await File.AppendAllTextAsync(resultsFile, $"## {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.MachineName}, {Environment.ProcessorCount} cores — {title}\n\n{table}\n");
        Console.WriteLine($"appended to {resultsFile}");
    }

    /// <summary>Current resident set of a process, MB (VmRSS).</summary>
    internal static double ProcRssMb(int pid)
    {
        try
        {
            string line = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return double.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
        }
        catch (IOException)
        {
            return 0;
        }
    }

    /// <summary>SIGTERM (Mosquitto writes its persistence file on a clean stop), then wait.</summary>
    internal static async Task TerminateAsync(Process p)
    {
        using (Process kill = Process.Start("kill", ["-TERM", p.Id.ToString(CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync();
        }

        await p.WaitForExitAsync();
    }

    private static string Table(Result a, Result b)
    {
        static string Row(string name, Result r) =>
            $"| {name} | {r.Throughput,8:F0} | {r.P50Ms,7:F1} | {r.P99Ms,7:F1} | {r.Lost,6} | {r.Duplicates,6} | {r.CpuSecondsPer1000,7:F3} | {r.PeakRssMb,6:F0} | {r.StoreBytesPerReading,6:F0} |";
        return string.Join('\n',
            "| edge | readings/s | p50 ms | p99 ms | acked but lost | duplicates | CPU s / 1,000 | peak RSS MB | store bytes / reading |",
            "|---|---|---|---|---|---|---|---|---|",
            Row("Mosquitto bridge (persistence on)", a),
            Row("EdgeSensors gateway", b),
            $"| ratio gateway / bridge | {b.Throughput / a.Throughput:F2} × | | | | | {b.CpuSecondsPer1000 / a.CpuSecondsPer1000:F2} × | | |") + "\n";
    }

    private static async Task<Result> RunSideAsync(IEdge edge, string mosquitto, int nodes, int readings, int kills)
    {
        string dir = Path.Combine(Path.GetTempPath(), "es-bridge-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            int upstreamPort = FreePort();
            using Process upstream = StartMosquitto(mosquitto, Path.Combine(dir, "upstream"), $"listener {upstreamPort} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence false\nmax_queued_messages 0\n");
            await WaitListeningAsync(upstreamPort);
            var counter = new UpstreamCounter();
            await counter.StartAsync(upstreamPort);

            string[] ids = Enumerable.Range(1, nodes).Select(i => $"bench-{i:D4}").ToArray();
            Dictionary<string, string> secrets = await edge.StartAsync(Path.Combine(dir, "edge"), upstreamPort, ids);
            var sent = new ConcurrentDictionary<(string, uint), long>();
            var acked = new ConcurrentDictionary<(string, uint), bool>();
            double cpuBefore = edge.Usage().Cpu;
            var sw = Stopwatch.StartNew();
            counter.MarkStart();
            using var done = new CancellationTokenSource();
            Task killer = kills > 0 ? KillerAsync(edge, kills, nodes * readings, acked, done.Token) : Task.CompletedTask;
            Task[] publishers = ids.Select(id => PublishAsync(edge, id, secrets.GetValueOrDefault(id, string.Empty), readings, sent, acked)).ToArray();
            await Task.WhenAll(publishers);
            done.Cancel();
            await killer;

            // Wait until everything acknowledged reached the upstream, or nothing new arrives for 10 s.
            long expected = acked.Count;
            int last = -1;
            var quiet = Stopwatch.StartNew();
            while (counter.Unique < expected && quiet.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(100);
                if (counter.Unique != last)
                {
                    last = counter.Unique;
                    quiet.Restart();
                }
            }

            double seconds = counter.LastAt.TotalSeconds > 0 ? counter.LastAt.TotalSeconds : sw.Elapsed.TotalSeconds;
            (double cpu, double rssMb) = edge.Usage();
            long storeBytes = edge.StoreBytes();
            long lost = acked.Keys.LongCount(k => !counter.Seen(k));
            double[] latencies = counter.Latencies(sent);
            Array.Sort(latencies);
            var r = new Result(
                counter.Unique / seconds,
                Percentile(latencies, 0.50),
                Percentile(latencies, 0.99),
                lost,
                counter.Duplicates,
                (cpu - cpuBefore) / Math.Max(1, counter.Unique) * 1000,
                rssMb,
                counter.Unique == 0 ? 0 : (double)storeBytes / counter.Unique);
            Console.WriteLine($"  {edge.Name}: {acked.Count} acknowledged, {counter.Unique} at the upstream ({counter.Duplicates} duplicates), {lost} acknowledged but lost, {edge.Restarts} restarts");
            await counter.DisposeAsync();
            await edge.DisposeAsync();
            upstream.Kill();
            return r;
        }
        finally
        {
            try
            {
                if (Environment.GetEnvironmentVariable("BENCH_KEEP") is { Length: > 0 })
                {
                    Console.WriteLine($"  kept {dir}");
                }
                else
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>SIGKILLs the edge at evenly spaced points of the stream and starts it again on the same data.</summary>
    private static async Task KillerAsync(IEdge edge, int kills, int total, ConcurrentDictionary<(string, uint), bool> acked, CancellationToken done)
    {
        for (int k = 1; k <= kills && !done.IsCancellationRequested; k++)
        {
            int at = total * k / (kills + 1);
            while (acked.Count < at && !done.IsCancellationRequested)
            {
                await Task.Delay(5, CancellationToken.None);
            }

            if (done.IsCancellationRequested)
            {
                return;
            }

            await edge.KillAndRestartAsync();
        }
    }

    private static async Task PublishAsync(IEdge edge, string id, string secret, int readings, ConcurrentDictionary<(string, uint), long> sent, ConcurrentDictionary<(string, uint), bool> acked)
    {
        const uint Boot = 7;
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptionsBuilder builder = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", edge.Port).WithClientId(id)
            .WithCredentials(id, secret).WithCleanSession(true).WithTimeout(TimeSpan.FromSeconds(10));
        if (edge.CaPem != null)
        {
            // As a provisioned node: TLS, trusting the edge's CA and nothing else.
            var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            ca.ImportFromPem(edge.CaPem);
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost("127.0.0.1").WithTrustChain(ca));
        }

        MqttClientOptions options = builder.Build();
        var reading = new Reading { SalinityPpt = 1.82, EcMsCm = 3.61, WaterTempC = 28.4, LevelM = 0.82, AirPressureHpa = 1008.2, AirTempC = 31.2, HumidityPct = 71 };
        for (uint seq = 1; seq <= readings;)
        {
            try
            {
                if (!client.IsConnected)
                {
                    await client.ConnectAsync(options);
                }

                byte[] payload = TelemetryEncoder.Encode(id, [new Sample(Boot, seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), true, reading)], 3.9, -60, Topics.MaxPayloadBytes, out _);
                sent.TryAdd((id, seq), Stopwatch.GetTimestamp());
                // A node gives up on a PUBACK after a while and sends again; without this a publish whose connection
                // died unnoticed would hold its node (and the run) forever.
                using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(10));
                MqttClientPublishResult r = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Telemetry(id)).WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), patience.Token);
                if (r.IsSuccess)
                {
                    acked[(id, seq)] = true;
                    seq++;
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or SocketException or InvalidOperationException)
            {
                // The edge went away: reconnect and send the same reading again, as a node does.
                try
                {
                    await client.DisconnectAsync();
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or SocketException or InvalidOperationException)
                {
                }

                await Task.Delay(50);
            }
        }

        if (client.IsConnected)
        {
            await client.DisconnectAsync();
        }
    }

    private static double Percentile(double[] sorted, double p) => sorted.Length == 0 ? double.NaN : sorted[Math.Min(sorted.Length - 1, (int)(p * sorted.Length))];

    internal static Process StartMosquitto(string mosquitto, string dir, string conf)
    {
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "mosquitto.conf");
        // Started as root, Mosquitto drops to the "mosquitto" user, which cannot write its persistence file into our
        // folder: it would then run with persistence silently failing ("Error saving in-memory database"). Keep the
        // bench's own user.
        File.WriteAllText(path, $"user {Environment.UserName}\n" + conf);
        var psi = new ProcessStartInfo(mosquitto, ["-c", path]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        Process p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.OutputDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        p.BeginOutputReadLine();
        return p;
    }

    internal static int FreePort()
    {
        var l = new TcpListener(System.Net.IPAddress.Loopback, 0);
        l.Start();
        int port = ((System.Net.IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    internal static async Task WaitListeningAsync(int port, int seconds = 60)
    {
        var until = DateTime.UtcNow.AddSeconds(seconds);
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(System.Net.IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nothing listens on {port}");
    }

    internal static string RepoRoot()
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            if (File.Exists(Path.Combine(d.FullName, "EdgeSensors.sln")))
            {
                return d.FullName;
            }
        }

        return Directory.GetCurrentDirectory();
    }

    /// <summary>CPU seconds (user + system) and peak RSS (MB) of a process, from /proc.</summary>
    internal static (double Cpu, double PeakRssMb) ProcUsage(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            string[] f = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            double cpu = (double.Parse(f[11], CultureInfo.InvariantCulture) + double.Parse(f[12], CultureInfo.InvariantCulture)) / 100.0; // utime, stime in clock ticks (USER_HZ 100)
            string hwm = File.ReadAllLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            double kb = double.Parse(hwm.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
            return (cpu, kb / 1024);
        }
        catch (IOException)
        {
            return (0, 0);
        }
    }

    internal static long DirectoryBytes(string dir) =>
        Directory.Exists(dir) ? Directory.EnumerateFiles(dir, "*", SearchOption.AllDirectories).Sum(f => new FileInfo(f).Length) : 0;

    private sealed record Result(double Throughput, double P50Ms, double P99Ms, long Lost, long Duplicates, double CpuSecondsPer1000, double PeakRssMb, double StoreBytesPerReading);

    /// <summary>The edge under test: started, killed and restarted on the same data, measured from /proc.</summary>
    internal interface IEdge : IAsyncDisposable
    {
        string Name { get; }

        int Port { get; }

        /// <summary>The CA the nodes trust when the edge's node listener is TLS (issue 33: the default); null: plain MQTT.</summary>
        string? CaPem { get; }

        int Restarts { get; }

        /// <summary>Starts the edge; returns each node's password (empty where none is needed).</summary>
        Task<Dictionary<string, string>> StartAsync(string dir, int upstreamPort, string[] nodes);

        Task KillAndRestartAsync();

        /// <summary>CPU seconds summed over every incarnation, and the highest peak RSS.</summary>
        (double Cpu, double PeakRssMb) Usage();

        /// <summary>The running process's id.</summary>
        int Pid { get; }

        long StoreBytes();
    }

    internal abstract class ProcessEdge : IEdge
    {
        private double _cpu;
        private double _rss;

        protected Process? Current { get; set; }

        public abstract string Name { get; }

        public int Pid => Current?.Id ?? 0;

        public int Port { get; protected set; }

        public string? CaPem { get; protected set; }

        public int Restarts { get; private set; }

        protected string Dir { get; set; } = string.Empty;

        public abstract Task<Dictionary<string, string>> StartAsync(string dir, int upstreamPort, string[] nodes);

        public async Task KillAndRestartAsync()
        {
            Account();
            Current!.Kill();
            await Current.WaitForExitAsync();
            Current.Dispose();
            Restarts++;
            await LaunchAsync();
        }

        public (double Cpu, double PeakRssMb) Usage()
        {
            (double cpu, double rss) = Current is { HasExited: false } p ? ProcUsage(p.Id) : (0, 0);
            return (_cpu + cpu, Math.Max(_rss, rss));
        }

        public abstract long StoreBytes();

        public async ValueTask DisposeAsync()
        {
            if (Current is { HasExited: false } p)
            {
                p.Kill();
                await p.WaitForExitAsync();
            }

            Current?.Dispose();
        }

        protected abstract Task LaunchAsync();

        private void Account()
        {
            (double cpu, double rss) = ProcUsage(Current!.Id);
            _cpu += cpu;
            _rss = Math.Max(_rss, rss);
        }
    }

    /// <summary>Mosquitto with persistence, bridged to the upstream: the integrator's alternative.</summary>
    internal sealed class MosquittoBridgeEdge(string mosquitto, bool tls = false) : ProcessEdge
    {
        private string _conf = string.Empty;

        public override string Name => "Mosquitto bridge";

        public override async Task<Dictionary<string, string>> StartAsync(string dir, int upstreamPort, string[] nodes)
        {
            Dir = dir;
            Port = FreePort();
            string listenerTls = string.Empty;
            if (tls)
            {
                Directory.CreateDirectory(dir);
                // The tests' throw-away CA and 127.0.0.1 certificate (RSA 2048, as the gateway's own server certificate).
                using var files = new EdgeSensors.Gateway.Tests.Fixtures.TlsFiles();
                CaPem = await File.ReadAllTextAsync(files.CaPem);
                await File.WriteAllTextAsync(Path.Combine(dir, "ca.crt"), CaPem);
                File.Copy(files.CertPem, Path.Combine(dir, "server.crt"));
                File.Copy(files.KeyPem, Path.Combine(dir, "server.key"));
                listenerTls = $"cafile {dir}/ca.crt\ncertfile {dir}/server.crt\nkeyfile {dir}/server.key\ntls_version tlsv1.2\n";
            }

            // Persistence on, as an integrator would run it; the queue unbounded so nothing is dropped by a limit.
            _conf = $"""
                listener {Port} 127.0.0.1
                {listenerTls}allow_anonymous true
                set_tcp_nodelay true
                max_inflight_messages 0
                persistence true
                persistence_location {dir}/
                max_queued_messages 0
                connection upstream
                address 127.0.0.1:{upstreamPort}
                restart_timeout 1
                topic sensors/# out 1
                cleansession false
                bridge_protocol_version mqttv311
                """;
            await LaunchAsync();
            return [];
        }

        public override long StoreBytes() => DirectoryBytes(Dir);

        protected override async Task LaunchAsync()
        {
            Current = StartMosquitto(mosquitto, Dir, _conf + "\n");
            await WaitListeningAsync(Port);
        }
    }

    /// <summary>The gateway, Release build, embedded defaults but for ports, data folder and its upstream.</summary>
    internal sealed class GatewayEdge(string dll, bool tls = false) : ProcessEdge
    {
        private int _plainPort;
        private readonly Lock _logLock = new();
        private int _http;
        private int _tlsPort;
        private int _upstream;

        public Process? Tracer { get; private set; }

        /// <summary>Further configuration for a mode (e.g. Broker:MaxConnections for scale).</summary>
        public Dictionary<string, string> Extra { get; } = [];

        public override string Name => "EdgeSensors gateway";

        public override async Task<Dictionary<string, string>> StartAsync(string dir, int upstreamPort, string[] nodes)
        {
            Dir = dir;
            Directory.CreateDirectory(dir);
            _plainPort = FreePort();
            _http = FreePort();
            _tlsPort = FreePort();
            Port = tls ? _tlsPort : _plainPort;
            _upstream = upstreamPort;
            await LaunchAsync();
            if (tls)
            {
                CaPem = await File.ReadAllTextAsync(Path.Combine(dir, "tls", "ca.crt")); // the gateway's own CA, made at its first start
            }

            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_http}") };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Token);
            var secrets = new ConcurrentDictionary<string, string>();
            await Parallel.ForEachAsync(nodes, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (id, ct) =>
            {
                HttpResponseMessage r = await http.PostAsJsonAsync("/api/nodes", new { id, lat = 9.78, lon = 105.47, place = "bench" }, ct);
                string body = await r.Content.ReadAsStringAsync(ct);
                if (!r.IsSuccessStatusCode)
                {
                    throw new InvalidOperationException($"register {id}: {(int)r.StatusCode} {body}");
                }

                secrets[id] = JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
            });

            // BENCH_TRACE=<file.nettrace>: profile the gateway's CPU for 15 s of the stream with dotnet-trace.
            if (Environment.GetEnvironmentVariable("BENCH_TRACE") is { Length: > 0 } trace)
            {
                string tool = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".dotnet", "tools", "dotnet-trace");
                var psi = new ProcessStartInfo(tool, ["collect", "-p", Current!.Id.ToString(CultureInfo.InvariantCulture), "--profile", "dotnet-sampled-thread-time", "--duration", "00:00:00:15", "-o", trace]) { RedirectStandardOutput = true, RedirectStandardError = true };
                Tracer = Process.Start(psi);
                await Task.Delay(1500);
            }

            return new Dictionary<string, string>(secrets);
        }

        public override long StoreBytes() => DirectoryBytes(Dir);

        protected override async Task LaunchAsync()
        {
            var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = Path.GetDirectoryName(dll)!, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            psi.ArgumentList.Add(dll);
            foreach ((string k, string v) in new Dictionary<string, string>
            {
                ["Gateway:Site"] = Site,
                ["Gateway:DataDirectory"] = Dir,
                ["Broker:Port"] = _plainPort.ToString(CultureInfo.InvariantCulture),
                ["Broker:BindAddress"] = "127.0.0.1",
                // TLS on the nodes' side by default, as the bridge's listener then is; plain on both sides with --plain.
                ["Broker:AllowPlaintext"] = tls ? "false" : "true",
                ["Broker:TlsPort"] = _tlsPort.ToString(CultureInfo.InvariantCulture),
                ["Urls"] = $"http://127.0.0.1:{_http}",
                ["Admin:OperatorToken"] = Token,
                ["Uplink:Host"] = "127.0.0.1",
                ["Uplink:Port"] = _upstream.ToString(CultureInfo.InvariantCulture),
                ["Uplink:ReconnectBaseMs"] = "100",
                ["Uplink:ReconnectMaxMs"] = "1000",
                ["Logging:LogLevel:Default"] = Environment.GetEnvironmentVariable("BENCH_GATEWAY_LOGLEVEL") ?? "Warning",
            }.Concat(Extra))
            {
                psi.ArgumentList.Add($"--{k}={v}");
            }

            Current = Process.Start(psi)!;
            string log = Path.Combine(Dir, "gateway.log");
            Current.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_logLock) { File.AppendAllText(log, e.Data + "\n"); } } };
            Current.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (_logLock) { File.AppendAllText(log, e.Data + "\n"); } } };
            Current.BeginErrorReadLine();
            Current.BeginOutputReadLine();
            await WaitListeningAsync(_http);
            await WaitListeningAsync(Port);
        }
    }

    /// <summary>Subscribes to everything at the upstream and counts readings by (node, seq); the boot is fixed per run.</summary>
    internal sealed class UpstreamCounter : IAsyncDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private readonly ConcurrentDictionary<(string, uint), long> _first = new();
        private readonly Stopwatch _clock = Stopwatch.StartNew();
        private long _duplicates;
        private long _lastTicks;
        private readonly ConcurrentQueue<(long At, string Payload)> _alerts = new();
        private MqttClientOptions? _options;

        public int Unique => _first.Count;

        public long Duplicates => Interlocked.Read(ref _duplicates);

        public TimeSpan LastAt => TimeSpan.FromTicks(Interlocked.Read(ref _lastTicks));

        public bool Seen((string, uint) id) => _first.ContainsKey(id);

        /// <summary>Starts the clock that <see cref="LastAt"/> is measured on: when the first publisher starts.</summary>
        public void MarkStart() => _clock.Restart();

        public double[] Latencies(ConcurrentDictionary<(string, uint), long> sent) =>
            _first.Where(kv => sent.ContainsKey(kv.Key)).Select(kv => Stopwatch.GetElapsedTime(sent[kv.Key], kv.Value).TotalMilliseconds).ToArray();

        /// <summary>When the first alert message about <paramref name="node"/> containing <paramref name="text"/> arrived at or after <paramref name="after"/> (Stopwatch timestamp; 0 = none).</summary>
        public long AlertArrivedAt(string node, string text, long after)
        {
            foreach ((long at, string payload) in _alerts)
            {
                if (at >= after && payload.Contains(node, StringComparison.Ordinal) && payload.Contains(text, StringComparison.Ordinal))
                {
                    return at;
                }
            }

            return 0;
        }

        /// <summary>When (node, seq) first arrived (Stopwatch timestamp), or 0.</summary>
        public long ArrivedAt((string, uint) id) => _first.TryGetValue(id, out long t) ? t : 0;

        public async Task StartAsync(int port, bool persistentSession = false)
        {
            _client.ApplicationMessageReceivedAsync += e =>
            {
                long now = Stopwatch.GetTimestamp();
                if (e.ApplicationMessage.Topic.EndsWith("/alerts", StringComparison.Ordinal))
                {
                    _alerts.Enqueue((now, Encoding.UTF8.GetString(e.ApplicationMessage.Payload)));
                    return Task.CompletedTask;
                }

                Interlocked.Exchange(ref _lastTicks, _clock.Elapsed.Ticks);
                using JsonDocument doc = JsonDocument.Parse(e.ApplicationMessage.Payload);
                JsonElement root = doc.RootElement;
                if (!root.TryGetProperty("node", out JsonElement node))
                {
                    return Task.CompletedTask;
                }

                string id = node.GetString()!;
                JsonElement list = root.TryGetProperty("samples", out JsonElement s) ? s : root.TryGetProperty("readings", out JsonElement r) ? r : default;
                if (list.ValueKind != JsonValueKind.Array)
                {
                    return Task.CompletedTask;
                }

                foreach (JsonElement x in list.EnumerateArray())
                {
                    if (!_first.TryAdd((id, x.GetProperty("seq").GetUInt32()), now))
                    {
                        Interlocked.Increment(ref _duplicates);
                    }
                }

                return Task.CompletedTask;
            };
            _options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("bench-upstream-counter").WithCleanSession(!persistentSession).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311).Build();
            // MQTTnet pins SO_RCVBUF to its BufferSize (8 KiB by default) before connecting, which turns off window
            // scaling: with a backlog queued at the upstream the counter then received in zero-window probes, a few
            // KB per probe, for minutes — the harness stall of earlier runs (found with ss -tni: rwnd_limited 99.9 %,
            // wscale 0). A receiver of a fleet's traffic needs real buffers.
            ((MqttClientTcpOptions)_options.ChannelOptions).BufferSize = 4 * 1024 * 1024;
            await _client.ConnectAsync(_options);
            await _client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder()
                .WithTopicFilter("sensors/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter("ioc/+/+/telemetry", MqttQualityOfServiceLevel.AtLeastOnce)
                .WithTopicFilter("ioc/+/alerts", MqttQualityOfServiceLevel.AtLeastOnce).Build());
        }

        /// <summary>Leaves while keeping the (persistent) session at the upstream, so what arrives meanwhile is queued for it.</summary>
        public Task PauseAsync() => _client.DisconnectAsync();

        /// <summary>Comes back to the persistent session (its subscriptions and queued messages kept by the upstream).</summary>
        public async Task ResumeAsync()
        {
            _clock.Restart();
            await _client.ConnectAsync(_options!);
        }

        public async ValueTask DisposeAsync()
        {
            if (_client.IsConnected)
            {
                await _client.DisconnectAsync();
            }

            _client.Dispose();
        }
    }
}
