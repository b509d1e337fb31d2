using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Samples;
using Microsoft.Playwright;

namespace EdgeSensors.Gateway.Tests.Web;

/// <summary>
/// Issue 30, "one verdict": the farmers' page at 360×780 in Debian's Chromium, on a real gateway fed by real MQTT
/// nodes. For every crop a farmer can pick, each card and the banner say what the alert engine holds for that crop —
/// through salt coming, and through the "falling below" hold after it, when the old page turned green an hour early.
/// </summary>
public sealed class FarmersVerdictBrowserTests(ITestOutputHelper output)
{
    // Three stations fed the same water, each configured for another crop: the engine's own alerts are the reference
    // for those three crops; for the other crops, the alert engine's rules with that crop as the station's.
    private static readonly (string Node, string Crop)[] Stations = [("hg-v-rice", "rice_tillering"), ("hg-v-durian", "durian"), ("hg-v-mango", "mango")];

    private static AlertOptions Rules(string crop) => new()
    {
        DefaultProfile = crop,
        RisePptPerHour = 100, // the test is about the salinity level; "rising fast" off, as in the gateway below
        Outlook = new OutlookOptions { Enabled = false },
    };

    [Fact]
    public async Task Every_crop_choice_shows_on_the_cards_and_the_banner_what_the_alert_engine_holds_through_a_reopening_hold()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        var settings = new Dictionary<string, string>
        {
            ["Alerts:RisePptPerHour"] = "100",
            ["Alerts:Outlook:Enabled"] = "false",
        };
        foreach ((string node, string crop) in Stations)
        {
            settings[$"Alerts:NodeProfiles:{node}"] = crop;
        }

        await using var gateway = new GatewayProcess(dir.Path, null, settings);
        await gateway.StartAsync();
        var nodes = new List<TestNode>();
        foreach ((string node, _) in Stations)
        {
            var n = new TestNode(node, await gateway.RegisterNodeAsync(node, place: "Kênh " + node[5..]));
            Assert.True((await n.ConnectAsync(gateway.MqttPort)).Ok);
            nodes.Add(n);
        }

        try
        {
            List<string> crops = (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/profiles")).EnumerateArray().Select(p => p.GetProperty("id").GetString()!).ToList();
            Assert.True(crops.Count >= 10, "the gateway's crop list");
            var reference = crops.ToDictionary(c => c, c => new AlertEvaluator(Rules(c)));

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
            IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
            await page.GotoAsync(gateway.Http.BaseAddress!.ToString());

            // Fresh water; salt at 1.6 ‰ (danger for rice and durian, watch for shrimp–rice, nothing for mango); fresh
            // again at 0.25 ‰, under every reopening level — but rice and durian must stay shut for their hold.
            string[] phases = ["fresh", "salt", "fresh again, within the hold"];
            double[] values = [0.2, 1.6, 0.25];
            for (int phase = 0; phase < phases.Length; phase++)
            {
                foreach (TestNode n in nodes)
                {
                    Sample a = n.NextSample(values[phase]), b = n.NextSample(values[phase]);
                    Assert.True((await n.PublishAsync(a, b)).IsSuccess);
                    foreach (AlertEvaluator r in reference.Values)
                    {
                        r.OnReading(n.Id, a.Timestamp, values[phase], 0.82, a.Timestamp);
                        r.OnReading(n.Id, b.Timestamp, values[phase], 0.82, b.Timestamp);
                    }
                }

                // The engine has judged the readings (the page is told after the engine has stored any alert they changed).
                foreach ((string node, _) in Stations)
                {
                    await Assertions.Expect(page.Locator($"[data-station='{node}'] .why")).ToContainTextAsync(AlertMessages.Ppt(values[phase]), new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
                }

                // The engine's own alerts for the three configured crops are what the reference rules say.
                JsonElement active = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/alerts?active=true&limit=1000");
                foreach ((string node, string crop) in Stations)
                {
                    string engine = active.EnumerateArray().Where(x => x.GetProperty("node").GetString() == node && x.GetProperty("kind").GetString() == "salinity")
                        .Select(x => x.GetProperty("level").GetString()!).DefaultIfEmpty("none").Single();
                    Assert.Equal(AlertKinds.WireName(reference[crop].Level(node, AlertKind.Salinity)), engine);
                }

                foreach (string crop in crops)
                {
                    await page.SelectOptionAsync("#crop", crop);
                    foreach ((string node, string own) in Stations)
                    {
                        string expected = AlertKinds.WireName(reference[crop].Level(node, AlertKind.Salinity));
                        ILocator card = page.Locator($"[data-station='{node}']");
                        await Assertions.Expect(card).ToHaveAttributeAsync("data-level", expected, new LocatorAssertionsToHaveAttributeOptions { Timeout = 10000 });
                        ILocator line = page.Locator($"[data-alert-node='{node}']");
                        if (expected == "none")
                        {
                            await Assertions.Expect(line).ToHaveCountAsync(0);
                            await Assertions.Expect(card).ToHaveAttributeAsync("data-verdict", "green");
                        }
                        else
                        {
                            await Assertions.Expect(line).ToHaveAttributeAsync("data-alert-level", expected);
                            await Assertions.Expect(card).ToHaveAttributeAsync("data-verdict", expected == "watch" ? "amber" : "red");
                        }
                    }
                }

                output.WriteLine($"{phases[phase]}: {crops.Count} crops × {Stations.Length} stations agree");
            }

            // Within the hold the rice card is still shut and says from when it may reopen, not "safe".
            await page.SelectOptionAsync("#crop", "rice_tillering");
            ILocator rice = page.Locator("[data-station='hg-v-rice']");
            await Assertions.Expect(rice).ToHaveAttributeAsync("data-verdict", "red");
            await Assertions.Expect(rice.Locator(".verdict")).ToContainTextAsync(new System.Text.RegularExpressions.Regex(@"đã dưới 0,6‰ từ \d\d:\d\d, có thể mở cống lấy nước từ \d\d:\d\d nếu vẫn dưới"));
            JsonElement riceAnswer = (await StationsAsync(gateway, "rice_tillering")).Single(s => s.GetProperty("id").GetString() == "hg-v-rice").GetProperty("intake");
            Assert.Equal("no", riceAnswer.GetProperty("take_water").GetString());
            long reopen = riceAnswer.GetProperty("reopen_at").GetInt64();
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            Assert.InRange(reopen - now, 55 * 60, 61 * 60); // the rice profile's 60-minute hold, from the first fresh reading
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "farmers-verdict-hold.png"), FullPage = true });
        }
        finally
        {
            foreach (TestNode n in nodes)
            {
                await n.DisposeAsync();
            }
        }
    }

    [Fact]
    public void Past_the_hold_the_answer_reopens_at_the_first_reading_exactly_when_the_alert_clears()
    {
        // The same core on scripted receive times (the gateway's clock cannot be moved from a process test).
        var options = Rules("rice_tillering");
        var evaluator = new AlertEvaluator(options);
        long t0 = 1_780_000_000;
        void Feed(double v, long at) => evaluator.OnReading("n1", at, v, 0.8, at);
        Feed(1.6, t0);
        Feed(1.6, t0 + 900);
        Assert.Equal(AlertLevel.Danger, evaluator.Level("n1", AlertKind.Salinity));
        Feed(0.2, t0 + 1800);
        Feed(0.2, t0 + 2700);
        IntakeVerdict held = evaluator.Verdict("n1", "rice_tillering")!;
        Assert.Equal("no", held.Intake);
        Assert.Equal(t0 + 1800 + 3600, held.ReopenAt);
        Assert.Equal(AlertLevel.Danger, evaluator.Level("n1", AlertKind.Salinity));

        // Mango was never at a level; durian (not the station's crop) holds by its own rule, shut as rice is.
        Assert.Equal("yes", evaluator.Verdict("n1", "mango")!.Intake);
        Assert.Equal("no", evaluator.Verdict("n1", "durian")!.Intake);

        var changes = evaluator.OnReading("n1", t0 + 5400, 0.2, 0.8, t0 + 5400);
        Assert.Contains(changes, c => c.Kind == AlertKind.Salinity && c.To == AlertLevel.None);
        IntakeVerdict open = evaluator.Verdict("n1", "rice_tillering")!;
        Assert.Equal("yes", open.Intake);
        Assert.Null(open.ReopenAt);
        Assert.Equal(t0 + 5400, open.Since);
        Assert.StartsWith("An toàn cho lúa", open.TextVi, StringComparison.Ordinal);

        // A reading back over the reopening level during a hold starts the hold again.
        var again = new AlertEvaluator(options);
        void Feed2(double v, long at) => again.OnReading("n1", at, v, 0.8, at);
        Feed2(1.6, t0);
        Feed2(1.6, t0 + 900);
        Feed2(0.2, t0 + 1800);
        Feed2(0.9, t0 + 2700);
        Feed2(0.2, t0 + 3600);
        Assert.Equal(t0 + 3600 + 3600, again.Verdict("n1", "rice_tillering")!.ReopenAt);
    }

    private static async Task<List<JsonElement>> StationsAsync(GatewayProcess gateway, string? crop) =>
        (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/stations" + (crop == null ? string.Empty : "?profile=" + crop))).EnumerateArray().ToList();
}
