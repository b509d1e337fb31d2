using System.Diagnostics;
using System.Globalization;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Samples;
using Microsoft.Playwright;

namespace EdgeSensors.Bench;

/// <summary>
/// Issue 30: the farmers' page with many stations, in Debian's Chromium at a phone's 360×780, against a real gateway
/// holding 8 days of readings for each station (every 15 minutes). For the page as it is and, in the same run, the
/// page before issue 30 (its app.js from git, served in place of today's): time until every card shows, charts drawn
/// at load, bytes over the wire, and charts drawn while every station sends one more reading and the phone stays at
/// the top of the page. Chart draws are counted by wrapping uPlot's constructor, the same for both pages.
/// </summary>
public static class PageBench
{
    private const string Chromium = "/usr/bin/chromium";
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    /// <summary>The commit whose app.js is "before" (the last one before issue 30's page work).</summary>
    private const string Before = "e87c113";

    public static async Task<int> RunAsync(int stations, int loads, string? results)
    {
        if (!File.Exists(Chromium))
        {
            Console.Error.WriteLine($"{Chromium} is missing: apt-get install chromium");
            return 2;
        }

        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, new Dictionary<string, string> { ["Logging:LogLevel:Default"] = "Warning" });
        await gateway.StartAsync();
        var nodes = new List<TestNode>();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var fill = Stopwatch.StartNew();
        for (int i = 0; i < stations; i++)
        {
            string id = $"hg-p{i:D2}";
            var n = new TestNode(id, await gateway.RegisterNodeAsync(id, place: $"Kênh số {i + 1}"));
            if (!(await n.ConnectAsync(gateway.MqttPort)).Ok)
            {
                throw new InvalidOperationException($"{id} could not connect");
            }

            // 8 days every 15 minutes: a semi-diurnal tide of salt, higher at the stations nearer the sea.
            var batch = new List<Sample>();
            for (long ts = now - (8 * 86400L); ts < now; ts += 900)
            {
                double phase = 2 * Math.PI * ts / (12.42 * 3600);
                batch.Add(n.SampleAt(Math.Round(Math.Max(0.05, (0.2 + (i * 0.05)) * (1 + Math.Sin(phase + i))), 3), ts));
                if (batch.Count == 40)
                {
                    await PublishAsync(n, batch);
                }
            }

            await PublishAsync(n, batch);
            nodes.Add(n);
        }

        Console.WriteLine($"{stations} stations × 768 readings stored in {fill.Elapsed.TotalSeconds:0} s");
        string? oldApp = OldAppJs();
        var rows = new List<string>();
        try
        {
            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = Chromium,
                Headless = true,
                Args = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
            });
            foreach ((string name, string? app) in new[] { ("today's page", (string?)null), ($"before issue 30 (app.js of {Before})", oldApp) })
            {
                if (name.StartsWith("before", StringComparison.Ordinal) && app == null)
                {
                    rows.Add($"| {name} | — | — | — | — | — | not measured: git could not give the old app.js |");
                    continue;
                }

                var loadMs = new List<double>();
                var transferred = new List<long>();
                int drawsAtLoad = 0, drawsLive = 0;
                for (int run = 0; run < loads; run++)
                {
                    await using IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions
                    {
                        ViewportSize = new ViewportSize { Width = 360, Height = 780 },
                        Locale = "vi-VN",
                        ServiceWorkers = ServiceWorkerPolicy.Block, // every load from the network, as a phone's first visit
                    });
                    await context.AddInitScriptAsync("""
                        (() => { let U; window.__uplotDraws = 0;
                          Object.defineProperty(window, 'uPlot', { configurable: true,
                            get() { return U; },
                            set(v) { U = function () { window.__uplotDraws++; return new v(...arguments); }; Object.assign(U, v); U.prototype = v.prototype; } }); })();
                        """);
                    if (app != null)
                    {
                        await context.RouteAsync("**/app.js", r => r.FulfillAsync(new RouteFulfillOptions { Body = app, ContentType = "text/javascript" }));
                    }

                    IPage page = await context.NewPageAsync();
                    long bytes = 0;
                    page.RequestFinished += async (_, req) =>
                    {
                        try
                        {
                            RequestSizesResult s = await req.SizesAsync();
                            Interlocked.Add(ref bytes, s.ResponseBodySize + s.ResponseHeadersSize);
                        }
                        catch (PlaywrightException)
                        {
                        }
                    };
                    var sw = Stopwatch.StartNew();
                    await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
                    await page.WaitForFunctionAsync($"() => document.querySelectorAll('[data-station] .value').length === {stations} && [...document.querySelectorAll('[data-station] .value')].every(v => /‰/.test(v.textContent)) && document.querySelector('[data-station] .chart canvas')", null, new PageWaitForFunctionOptions { Timeout = 120_000, PollingInterval = 20 });
                    loadMs.Add(sw.Elapsed.TotalMilliseconds);

                    // Quiet for a second (late answers drawn), then count.
                    await page.WaitForTimeoutAsync(1000);
                    drawsAtLoad = await page.EvaluateAsync<int>("() => window.__uplotDraws");
                    transferred.Add(Interlocked.Read(ref bytes));

                    if (run == loads - 1)
                    {
                        // Every station sends one reading; the phone stays at the top of the page.
                        foreach (TestNode n in nodes)
                        {
                            await PublishAsync(n, [n.NextSample(0.4)]);
                        }

                        string last = nodes[^1].Id;
                        await page.WaitForFunctionAsync($"() => /0,4‰/.test(document.querySelector(\"[data-station='{last}'] .value\").textContent)", null, new PageWaitForFunctionOptions { Timeout = 60_000 });
                        await page.WaitForTimeoutAsync(4000); // the page's debounced history reloads (2 s) and their draws
                        drawsLive = await page.EvaluateAsync<int>("() => window.__uplotDraws") - drawsAtLoad;
                    }
                }

                loadMs.Sort();
                double median = loadMs[loadMs.Count / 2];
                rows.Add($"| {name} | {stations} | {median:0} ms ({loadMs[0]:0}–{loadMs[^1]:0}) | {drawsAtLoad} | {transferred.Average() / 1024:0} KB | {drawsLive} | {loads} loads |");
            }
        }
        finally
        {
            foreach (TestNode n in nodes)
            {
                await n.DisposeAsync();
            }
        }

        await BenchTable.WriteAsync(
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, Chromium headless at 360×780, gateway on loopback (no network throttling), {stations} stations with 8 days at 15 min",
            "| page | stations | until every card shows a value and a chart is drawn (median, range) | charts drawn at load | bytes over the wire at load | charts drawn when every station sends one reading (phone at the top) | note |",
            rows, results);
        return 0;
    }

    private static async Task PublishAsync(TestNode n, List<Sample> batch)
    {
        if (batch.Count == 0)
        {
            return;
        }

        var r = await n.PublishAsync([.. batch]);
        if (!r.IsSuccess)
        {
            throw new InvalidOperationException($"{n.Id}: {r.ReasonCode}");
        }

        batch.Clear();
    }

    private static string? OldAppJs()
    {
        try
        {
            var psi = new ProcessStartInfo("git", $"show {Before}:edge/EdgeSensors.Gateway/wwwroot/app.js") { RedirectStandardOutput = true, RedirectStandardError = true };
            using Process p = Process.Start(psi)!;
            string text = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return p.ExitCode == 0 && text.Length > 1000 ? text : null;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return null;
        }
    }
}
