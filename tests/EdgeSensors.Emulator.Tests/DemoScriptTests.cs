using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Emulator.Tests;

/// <summary>
/// Issue 30: `scripts/demo.sh` as a newcomer runs it, on ports other than the defaults (another gateway or a real
/// Mosquitto may hold those), with the IOC's side: the page answers on its port, stations appear, the ingest stores
/// the forwarded readings, and Ctrl+C (SIGTERM to the script) stops every part.
/// </summary>
public sealed class DemoScriptTests(ITestOutputHelper output)
{
    private static string RepoRoot()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeSensors.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("EdgeSensors.sln not found above the test's folder");
        }

        return root;
    }

    [Fact]
    public async Task The_demo_runs_on_other_ports_with_the_IOC_side_and_stops_whole()
    {
        if (!File.Exists(MosquittoBroker.Executable))
        {
            throw new InvalidOperationException("the demo's IOC side needs mosquitto");
        }

        using var dir = new TempDir();
        int http = FreePort.Next(), https = FreePort.Next(), mqtt = FreePort.Next(), tls = FreePort.Next(), ioc = FreePort.Next(), ingest = FreePort.Next();
        var psi = new ProcessStartInfo("setsid", ["bash", Path.Combine(RepoRoot(), "scripts", "demo.sh")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot(),
        };
        var env = new Dictionary<string, string>
        {
            ["DEMO_IOC"] = "1", ["DEMO_NO_BUILD"] = "1", ["DEMO_NODES"] = "2", ["DEMO_BACKFILL_DAYS"] = "1", ["DEMO_DIR"] = dir.Path,
            ["DEMO_HTTP_PORT"] = http.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEMO_HTTPS_PORT"] = https.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEMO_MQTT_PORT"] = mqtt.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEMO_TLS_PORT"] = tls.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEMO_IOC_PORT"] = ioc.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["DEMO_INGEST_PORT"] = ingest.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        foreach ((string k, string v) in env)
        {
            psi.Environment[k] = v;
        }

        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        using Process demo = Process.Start(psi)!;
        demo.OutputDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue(e.Data); } };
        demo.ErrorDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue("ERR " + e.Data); } };
        demo.BeginOutputReadLine();
        demo.BeginErrorReadLine();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}"), Timeout = TimeSpan.FromSeconds(5) };
            JsonElement stations = default;
            await Until(async () =>
            {
                stations = await client.GetFromJsonAsync<JsonElement>("/api/public/stations");
                return stations.ValueKind == JsonValueKind.Array ? stations.GetArrayLength() == 2 : stations.GetProperty("stations").GetArrayLength() == 2;
            }, "two stations on the demo's page");

            string tokens = Path.Combine(dir.Path, "api-tokens.json");
            using var iocClient = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ingest}"), Timeout = TimeSpan.FromSeconds(5) };
            await Until(async () =>
            {
                JsonElement health = await iocClient.GetFromJsonAsync<JsonElement>("/health");
                return health.GetProperty("store").GetProperty("readings").GetInt64() > 0;
            }, "readings at the demo's ingest");
            Assert.True(File.Exists(tokens), "the ingest's tokens beside its store");
            Assert.Contains(lines, l => l.Contains($"open http://127.0.0.1:{http}", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.Contains($"plain MQTT on 127.0.0.1:{mqtt}", StringComparison.Ordinal));
        }
        finally
        {
            output.WriteLine(string.Join('\n', lines));
            // Stopping the script stops what it started (its trap takes SIGTERM and, from a terminal's Ctrl+C, SIGINT;
            // a script launched from a non-interactive parent inherits SIGINT ignored, so the test sends SIGTERM).
            using (Process kill = Process.Start("kill", ["-TERM", demo.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
                await kill.WaitForExitAsync();
            }

            await demo.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        // The script returns only when every process it started is gone: its ports are free now.
        foreach (int port in new[] { http, mqtt, ioc, ingest })
        {
            Assert.False(Listening(port), $"port {port} still held after the demo stopped");
        }

        // The demo's parts are other processes: their state is read over HTTP each time the timer ticks, until it holds.
        async Task Until(Func<Task<bool>> condition, string what)
        {
            DateTime until = DateTime.UtcNow.AddSeconds(180);
            using var tick = new PeriodicTimer(TimeSpan.FromMilliseconds(250));
            while (true)
            {
                try
                {
                    if (await condition())
                    {
                        return;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or KeyNotFoundException or JsonException)
                {
                }

                Assert.True(DateTime.UtcNow < until && !demo.HasExited, $"waited in vain for {what}:\n{string.Join('\n', lines)}");
                await tick.WaitForNextTickAsync();
            }
        }
    }

    private static bool Listening(int port)
    {
        try
        {
            using var c = new System.Net.Sockets.TcpClient();
            c.Connect(System.Net.IPAddress.Loopback, port);
            return true;
        }
        catch (System.Net.Sockets.SocketException)
        {
            return false;
        }
    }
}
