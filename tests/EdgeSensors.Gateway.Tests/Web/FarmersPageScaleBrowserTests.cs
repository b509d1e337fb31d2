using System.Net;
using EdgeSensors.Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace EdgeSensors.Gateway.Tests.Web;

/// <summary>
/// Issue 30: a page that scales and finds your canal, and says how old its data is when it has no connection — in
/// Debian's Chromium at 360×780 against a real gateway and real MQTT nodes.
/// </summary>
public sealed class FarmersPageScaleBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Charts_are_drawn_only_in_view_and_only_on_their_own_changes_and_a_farmer_finds_and_pins_a_station()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        var nodes = new List<TestNode>();
        try
        {
            for (int i = 1; i <= 12; i++)
            {
                string id = $"hg-scale-{i:D2}";
                var n = new TestNode(id, await gateway.RegisterNodeAsync(id, place: i == 7 ? "Cống Vị Tân" : $"Kênh số {i}"));
                Assert.True((await n.ConnectAsync(gateway.MqttPort)).Ok);
                long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
                Assert.True((await n.PublishAsync(n.SampleAt(0.3, now - 1800), n.SampleAt(0.35, now - 900), n.SampleAt(0.4, now - 60))).IsSuccess);
                nodes.Add(n);
            }

            using IPlaywright playwright = await Playwright.CreateAsync();
            await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
            IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
            IPage page = await context.NewPageAsync();
            await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
            ILocator first = page.Locator("[data-station='hg-scale-01']");
            await Assertions.Expect(first.Locator(".chart .uplot")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15000 });
            await Assertions.Expect(page.Locator("[data-station]")).ToHaveCountAsync(12);

            // Only the charts on (or next to) the screen were drawn; the twelfth, far below, was not even fetched.
            int drawn = await page.EvaluateAsync<int>("() => window.__esDraws.total");
            output.WriteLine($"charts drawn after load: {drawn} of 12");
            Assert.InRange(drawn, 1, 3);
            Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__esDraws.by['hg-scale-12'] || 0"));

            // A reading at the station far below changes its card, and draws nothing.
            TestNode last = nodes[^1], head = nodes[0];
            Assert.True((await last.PublishAsync(last.NextSample(0.45))).IsSuccess);
            await Assertions.Expect(page.Locator("[data-station='hg-scale-12'] .value")).ToHaveTextAsync("0,45‰", new LocatorAssertionsToHaveTextOptions { Timeout = 15000 });
            Assert.Equal(0, await page.EvaluateAsync<int>("() => window.__esDraws.by['hg-scale-12'] || 0"));
            int firstDraws = await page.EvaluateAsync<int>("() => window.__esDraws.by['hg-scale-01']");

            // A reading at the station on screen redraws its own chart once, and no other.
            int others = await page.EvaluateAsync<int>("() => window.__esDraws.total - window.__esDraws.by['hg-scale-01']");
            Assert.True((await head.PublishAsync(head.NextSample(0.5))).IsSuccess);
            await page.WaitForFunctionAsync($"() => window.__esDraws.by['hg-scale-01'] === {firstDraws + 1}", null, new PageWaitForFunctionOptions { Timeout = 15000 });
            Assert.Equal(others, await page.EvaluateAsync<int>("() => window.__esDraws.total - window.__esDraws.by['hg-scale-01']"));

            // Scrolled into view, the twelfth is fetched and drawn once.
            await page.Locator("[data-station='hg-scale-12']").ScrollIntoViewIfNeededAsync();
            await page.WaitForFunctionAsync("() => window.__esDraws.by['hg-scale-12'] === 1", null, new PageWaitForFunctionOptions { Timeout = 15000 });

            // Search by place, without its marks: "vi tan" finds "Cống Vị Tân".
            await page.FillAsync("#search", "vi tan");
            await Assertions.Expect(page.Locator("[data-station]:visible")).ToHaveCountAsync(1);
            await Assertions.Expect(page.Locator("[data-station]:visible .place")).ToHaveTextAsync("Cống Vị Tân");
            await page.FillAsync("#search", "không có nơi này");
            await Assertions.Expect(page.Locator("#no-match")).ToBeVisibleAsync();
            await page.FillAsync("#search", string.Empty);

            // "My station": pinned, it comes first, and stays first after a reload (kept on the phone).
            await page.Locator("[data-pin='hg-scale-07']").ClickAsync();
            await Assertions.Expect(page.Locator("[data-station]").First).ToHaveAttributeAsync("data-station", "hg-scale-07");
            await page.ReloadAsync();
            await Assertions.Expect(page.Locator("[data-station]").First).ToHaveAttributeAsync("data-station", "hg-scale-07", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15000 });
            await Assertions.Expect(page.Locator("[data-station='hg-scale-07']")).ToHaveAttributeAsync("data-mine", "true");

            // Axes say their units.
            ILocator chart = page.Locator("[data-station='hg-scale-07'] .chart");
            await Assertions.Expect(chart.Locator(".uplot")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 15000 });
            await Assertions.Expect(chart).ToHaveAttributeAsync("data-axis-labels", "Độ mặn (‰)|Mực nước (m)");
            Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
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
    public async Task The_page_and_its_public_answers_are_compressed_and_the_operator_api_is_not()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-gzip-1", place: "Kênh Xà No");
        using var http = new HttpClient(new HttpClientHandler { AutomaticDecompression = DecompressionMethods.None }) { BaseAddress = gateway.Http.BaseAddress };
        foreach (string path in new[] { "/app.js", "/api/public/stations", "/api/public/profiles" })
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, path);
            request.Headers.AcceptEncoding.ParseAdd("gzip, br");
            using HttpResponseMessage response = await http.SendAsync(request);
            Assert.True(response.IsSuccessStatusCode, path);
            Assert.NotEmpty(response.Content.Headers.ContentEncoding);
            output.WriteLine($"{path}: {string.Join(",", response.Content.Headers.ContentEncoding)}");
        }

        // The operator API carries secrets (tokens, node passwords once): never compressed (BREACH).
        using var op = new HttpRequestMessage(HttpMethod.Get, "/api/nodes");
        op.Headers.AcceptEncoding.ParseAdd("gzip, br");
        op.Headers.Authorization = gateway.Http.DefaultRequestHeaders.Authorization;
        using HttpResponseMessage opResponse = await http.SendAsync(op);
        Assert.True(opResponse.IsSuccessStatusCode);
        Assert.Empty(opResponse.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Reloaded_with_the_gateway_gone_the_page_opens_from_the_phone_and_shows_the_station_as_old_data()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string url = gateway.Http.BaseAddress!.ToString();
        await using (var node = new TestNode("hg-off-1", await gateway.RegisterNodeAsync("hg-off-1", place: "Kênh Lái Hiếu")))
        {
            Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
            Assert.True((await node.PublishAsync(node.NextSample(0.3), node.NextSample(0.3))).IsSuccess);
        }

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
        IBrowserContext context = await browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
        IPage page = await context.NewPageAsync();
        await page.Clock.InstallAsync();
        await page.GotoAsync(url);
        // The page's offline copy is in place once its service worker controls it (127.0.0.1 counts as secure).
        await page.WaitForFunctionAsync("() => navigator.serviceWorker && navigator.serviceWorker.controller !== null", null, new PageWaitForFunctionOptions { Timeout = 15000 });
        await page.ReloadAsync();
        ILocator card = page.Locator("[data-station='hg-off-1']");
        await Assertions.Expect(card).ToContainTextAsync("0,3‰", new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
        await Assertions.Expect(card).ToHaveAttributeAsync("data-stale", "false");

        // No gateway and no network; three hours later the farmer opens the page again.
        await gateway.DisposeAsync();
        await context.SetOfflineAsync(true);
        await page.Clock.FastForwardAsync("03:00:00");
        await page.ReloadAsync();
        await Assertions.Expect(card).ToContainTextAsync("Kênh Lái Hiếu", new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
        await Assertions.Expect(card.Locator("[data-age]")).ToHaveTextAsync("dữ liệu cũ: 3 giờ trước", new LocatorAssertionsToHaveTextOptions { Timeout = 20000 });
        await Assertions.Expect(card).ToHaveAttributeAsync("data-stale", "true");
        await Assertions.Expect(card.Locator(".head")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bgrey\\b"));
        await Assertions.Expect(page.Locator("#offline")).ToBeVisibleAsync();
        Assert.DoesNotContain("bây giờ", await page.Locator("#active-alerts").InnerTextAsync(), StringComparison.Ordinal);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "farmers-offline-stale.png"), FullPage = true });
    }
}
