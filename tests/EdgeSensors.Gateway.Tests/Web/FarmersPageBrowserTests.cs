using EdgeSensors.Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace EdgeSensors.Gateway.Tests.Web;

/// <summary>
/// The farmers' page in a real headless Chromium (Debian's, at /usr/bin/chromium: browser downloads cannot work
/// here), served by the real gateway fed by a real MQTT node.
/// </summary>
public sealed class FarmersPageBrowserTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_station_turns_red_without_a_reload_when_salinity_passes_the_rice_threshold_and_the_page_switches_to_English()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-page-1", place: "Kênh Xáng Xà No");
        await using var node = new TestNode("hg-page-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        Assert.True((await node.PublishAsync(node.NextSample(0.4), node.NextSample(0.5))).IsSuccess);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 760 }, Locale = "vi-VN" });
        var external = new List<string>();
        page.Request += (_, r) =>
        {
            if (!r.Url.StartsWith(gateway.Http.BaseAddress!.ToString(), StringComparison.Ordinal))
            {
                external.Add(r.Url);
            }
        };
        long bytes = 0;
        page.Response += (_, r) => bytes += r.Headers.TryGetValue("content-length", out string? len) ? long.Parse(len, System.Globalization.CultureInfo.InvariantCulture) : 0;

        await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
        ILocator card = page.Locator("[data-station='hg-page-1']");
        await Assertions.Expect(card).ToHaveAttributeAsync("data-verdict", "green");
        await Assertions.Expect(card).ToContainTextAsync("0,5‰");
        await Assertions.Expect(card).ToContainTextAsync("An toàn cho lúa");

        // Salt arrives with the flood: the page updates itself (server-sent events), no reload. The card follows the
        // gateway's verdict, which (as the alerts) takes the warning after two readings over the level.
        await page.EvaluateAsync("() => { window.__noReload = true; }");
        Assert.True((await node.PublishAsync(node.NextSample(1.3))).IsSuccess);
        await Assertions.Expect(card.Locator(".why")).ToContainTextAsync("chờ lần đo sau để xác nhận", new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
        Assert.True((await node.PublishAsync(node.NextSample(1.3))).IsSuccess);
        await Assertions.Expect(card).ToHaveAttributeAsync("data-verdict", "red", new LocatorAssertionsToHaveAttributeOptions { Timeout = 15000 });
        await Assertions.Expect(card).ToContainTextAsync("1,3‰");
        await Assertions.Expect(card).ToContainTextAsync("không lấy nước vào ruộng lúa");
        Assert.True(await page.EvaluateAsync<bool>("() => window.__noReload === true"), "the page was reloaded");

        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "farmers-page-vi.png"), FullPage = true });

        await page.ClickAsync("#lang");
        await Assertions.Expect(page.Locator("h1")).ToHaveTextAsync("Canal salinity");
        await Assertions.Expect(card).ToContainTextAsync("1.3‰");
        await Assertions.Expect(card).ToContainTextAsync("do not let water into rice fields");
        string shot = Path.Combine(AppContext.BaseDirectory, "screenshots", "farmers-page-en.png");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = shot, FullPage = true });
        output.WriteLine($"screenshots in {Path.GetDirectoryName(shot)}; {bytes} bytes over the wire");

        Assert.Empty(external);
        // Readable on a 360-px screen: nothing wider than the viewport.
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
    }

    [Fact]
    public async Task A_stations_age_counts_on_from_its_own_time_and_old_data_turns_grey_and_says_so_at_360_px()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-age-1", place: "Cống Cái Tư");
        await using var node = new TestNode("hg-age-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        Assert.True((await node.PublishAsync(node.NextSample(0.3))).IsSuccess);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
        await page.Clock.InstallAsync(); // the page's own clock, moved by the test: no waiting for hours
        await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
        ILocator card = page.Locator("[data-station='hg-age-1']");
        ILocator ageSpan = card.Locator("[data-age]");
        await Assertions.Expect(ageSpan).ToContainTextAsync(new System.Text.RegularExpressions.Regex("^\\d+ giây trước$"), new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
        await Assertions.Expect(card).ToHaveAttributeAsync("data-stale", "false");

        // Three hours on, with no reading since: the same page, without a reload, says how old the data is and greys it.
        await page.Clock.FastForwardAsync("03:00:00");
        await Assertions.Expect(ageSpan).ToHaveTextAsync("dữ liệu cũ: 3 giờ trước", new LocatorAssertionsToHaveTextOptions { Timeout = 15000 });
        await Assertions.Expect(card).ToHaveAttributeAsync("data-stale", "true");
        await Assertions.Expect(card.Locator(".head")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("\\bgrey\\b"));
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);

        await page.ClickAsync("#lang");
        await Assertions.Expect(ageSpan).ToHaveTextAsync("old data: 3 h ago");
    }

    [Fact]
    public async Task A_salt_forecast_is_shown_under_its_station_with_the_time_in_Vietnamese_then_English_at_360_px()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-page-2", place: "Kênh Cái Côn");
        await using var node = new TestNode("hg-page-2", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);

        // The last hour rose from 0.2 to 0.6 ‰: at that pace rice's 1.0 ‰ warning level is about 25 minutes away.
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True((await node.PublishAsync(node.SampleAt(0.2, now - 3000), node.SampleAt(0.33, now - 2100), node.SampleAt(0.46, now - 1200), node.SampleAt(0.6, now - 300))).IsSuccess);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
        await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
        ILocator line = page.Locator("[data-alert-node='hg-page-2']");
        await Assertions.Expect(line).ToContainTextAsync("Kênh Cái Côn", new LocatorAssertionsToContainTextOptions { Timeout = 15000 });
        await Assertions.Expect(line).ToContainTextAsync("dự báo mặn");
        await Assertions.Expect(line.Locator(".forecast")).ToContainTextAsync("Độ mặn dự kiến vượt ngưỡng cảnh báo 1,0‰ lúc ");
        await Assertions.Expect(line.Locator(".forecast")).ToContainTextAsync("chuẩn bị đóng cống");
        string vi = await line.Locator(".forecast").InnerTextAsync();
        Assert.Matches(@"lúc \d\d:\d\d \(khoảng (\d+ giờ )?(\d+ phút )?nữa\)", vi);
        output.WriteLine(vi);
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);

        await page.ClickAsync("#lang");
        await Assertions.Expect(line.Locator(".forecast")).ToContainTextAsync("Salinity expected to pass the warning level 1.0‰ at ");
        Assert.True(await page.EvaluateAsync<int>("() => document.documentElement.scrollWidth") <= 360);
        Directory.CreateDirectory(Path.Combine(AppContext.BaseDirectory, "screenshots"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "farmers-page-forecast.png"), FullPage = true });

    }

    [Fact]
    public async Task With_30_active_alerts_every_one_is_reachable_by_place_and_the_stations_stay_on_the_first_screen()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 3600;
        for (int i = 0; i < 30; i++)
        {
            string id = $"hg-many-{i:D2}";
            string secret = await gateway.RegisterNodeAsync(id, place: $"Kênh số {i + 1}");
            await using var node = new TestNode(id, secret);
            Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
            // 4–7 ‰ for an hour: danger for rice at tillering everywhere.
            double s = 4 + (i % 4);
            Assert.True((await node.PublishAsync(node.SampleAt(s, t0), node.SampleAt(s, t0 + 900), node.SampleAt(s, t0 + 1800))).IsSuccess);
        }

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
        await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
        await Assertions.Expect(page.Locator(".alert-count")).ToHaveTextAsync("30 nơi đang có cảnh báo", new LocatorAssertionsToHaveTextOptions { Timeout = 20000 });
        // Named by place, worst and saltiest first, with the value now.
        ILocator first = page.Locator("#active-alerts .alert").First;
        await Assertions.Expect(first).ToContainTextAsync("NGUY HIỂM");
        await Assertions.Expect(first).ToContainTextAsync("bây giờ 7,0‰");
        Assert.DoesNotContain("hg-many", await page.Locator("#active-alerts").InnerTextAsync(), StringComparison.Ordinal);

        // The stations are still on the first screen.
        await Assertions.Expect(page.Locator("[data-station]").First).ToBeVisibleAsync();
        double top = await page.EvaluateAsync<double>("() => document.querySelector('[data-station]').getBoundingClientRect().top");
        output.WriteLine($"first station card at {top} px");
        Assert.True(top < 500, $"the first station starts at {top} px: the alerts push it off the first screen");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "farmers-page-30-alerts.png") });

        // Every place is one tap away.
        await page.ClickAsync("details.more summary");
        Assert.Equal(30, await page.Locator("#active-alerts .alert:visible").CountAsync());
        for (int i = 0; i < 30; i++)
        {
            await Assertions.Expect(page.Locator($"[data-alert-node='hg-many-{i:D2}']")).ToContainTextAsync($"Kênh số {i + 1}");
        }

        // No English in Vietnamese mode on the office panel either.
        Assert.DoesNotContain("simulated", await page.Locator("#gpio").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Safe_intake_hours_are_shown_for_a_station_with_a_week_of_data_and_not_enough_data_is_said_plainly()
    {
        DebianChromium.RequireInstalled();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();

        // A week of a tidal canal every 15 minutes: 0.3–1.5 ‰ with the semi-diurnal and diurnal tides.
        string secret = await gateway.RegisterNodeAsync("hg-week-1", place: "Kênh Xáng Xà No");
        await using (var node = new TestNode("hg-week-1", secret))
        {
            Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
            long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
            var samples = new List<EdgeSensors.Node.Samples.Sample>();
            for (long ts = now - (8 * 86400L); ts <= now; ts += 900)
            {
                double h = ts / 3600.0;
                double s = 0.9 + (0.45 * Math.Sin(2 * Math.PI * h / 12.4206012)) + (0.15 * Math.Sin(2 * Math.PI * h / 23.9344696));
                samples.Add(node.SampleAt(Math.Round(s, 2), ts));
                if (samples.Count == 40)
                {
                    Assert.True((await node.PublishAsync([.. samples])).IsSuccess);
                    samples.Clear();
                }
            }

            if (samples.Count > 0)
            {
                Assert.True((await node.PublishAsync([.. samples])).IsSuccess);
            }
        }

        string fresh = await gateway.RegisterNodeAsync("hg-new-1", place: "Kênh mới đặt trạm");
        await using (var node = new TestNode("hg-new-1", fresh))
        {
            Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
            Assert.True((await node.PublishAsync(node.NextSample(0.4), node.NextSample(0.5))).IsSuccess);
        }

        System.Text.Json.JsonElement api = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<System.Text.Json.JsonElement>(gateway.Http, "/api/public/stations/hg-week-1/intake?profile=rice_tillering");
        output.WriteLine(api.ToString());
        Assert.True(api.GetProperty("enough_data").GetBoolean());
        Assert.True(api.GetProperty("windows").GetArrayLength() > 0);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await DebianChromium.LaunchAsync(playwright);
        IPage page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 360, Height = 780 }, Locale = "vi-VN" });
        await page.GotoAsync(gateway.Http.BaseAddress!.ToString());
        ILocator week = page.Locator("[data-intake='hg-week-1']");
        await Assertions.Expect(week).ToContainTextAsync("Giờ lấy nước an toàn", new LocatorAssertionsToContainTextOptions { Timeout = 20000 });
        await Assertions.Expect(week).ToContainTextAsync(new System.Text.RegularExpressions.Regex("\\d\\d:\\d\\d–\\d\\d:\\d\\d"));
        await Assertions.Expect(week).ToContainTextAsync("độ tin cậy");
        await Assertions.Expect(page.Locator("[data-intake='hg-new-1']")).ToContainTextAsync("Chưa đủ số liệu để dự báo");

        // The chart (uPlot, served by the gateway): times and values on its axes, the crop's thresholds as labelled
        // bands, the water level on a second axis, values in the legend.
        ILocator chart = page.Locator("[data-chart='hg-week-1']");
        await Assertions.Expect(chart.Locator(".uplot")).ToBeVisibleAsync();
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-x-ticks", new System.Text.RegularExpressions.Regex("\\d\\d:\\d\\d"));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-y-ticks", new System.Text.RegularExpressions.Regex("\\d,\\d"));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-level-ticks", new System.Text.RegularExpressions.Regex("\\d"));
        await Assertions.Expect(chart).ToHaveAttributeAsync("data-bands", "Theo dõi 0,6‰|Cảnh báo 1,0‰|Nguy hiểm 1,5‰");
        await Assertions.Expect(chart.Locator(".u-legend")).ToContainTextAsync("Độ mặn (‰)");
        await Assertions.Expect(chart.Locator(".u-legend")).ToContainTextAsync("Mực nước (m)");
        Assert.DoesNotContain("Time", await chart.Locator(".u-legend").InnerTextAsync(), StringComparison.Ordinal);
        // Tap for a value: the legend shows the salinity where the finger is.
        await page.EvaluateAsync(@"() => {
            const over = document.querySelector(""[data-chart='hg-week-1'] .u-over""), r = over.getBoundingClientRect();
            const t = new Touch({ identifier: 1, target: over, clientX: r.left + r.width / 2, clientY: r.top + r.height / 2 });
            over.dispatchEvent(new TouchEvent('touchstart', { touches: [t], bubbles: true }));
        }");
        await Assertions.Expect(chart.Locator(".u-legend")).ToContainTextAsync(new System.Text.RegularExpressions.Regex("Độ mặn \\(‰\\)\\s*\\d+,\\d+‰"));
        Assert.True(await page.EvaluateAsync<bool>("() => typeof window.uPlot === 'function'"), "uPlot was not loaded from the gateway");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(AppContext.BaseDirectory, "screenshots", "farmers-page-intake.png"), FullPage = true });

        // Offline from cache: the service worker keeps the page and its library, the last data is kept; with the
        // network gone a reload still shows the station, its forecast and the "connection lost" banner.
        await page.EvaluateAsync("async () => { await navigator.serviceWorker.ready; }");
        await page.ReloadAsync();
        await Assertions.Expect(week).ToContainTextAsync("Giờ lấy nước an toàn", new LocatorAssertionsToContainTextOptions { Timeout = 20000 });
        await page.Context.SetOfflineAsync(true);
        await page.ReloadAsync();
        await Assertions.Expect(page.Locator("[data-station='hg-week-1']")).ToContainTextAsync("Kênh Xáng Xà No", new LocatorAssertionsToContainTextOptions { Timeout = 20000 });
        await Assertions.Expect(week).ToContainTextAsync(new System.Text.RegularExpressions.Regex("\\d\\d:\\d\\d–\\d\\d:\\d\\d"));
        await Assertions.Expect(page.Locator("#offline")).ToBeVisibleAsync();
        await page.Context.SetOfflineAsync(false);

        await page.ClickAsync("#lang");
        await Assertions.Expect(week).ToContainTextAsync("Safe hours to take water");
        await Assertions.Expect(page.Locator("[data-intake='hg-new-1']")).ToContainTextAsync("Not enough data to forecast yet");
    }

    [Fact]
    public async Task The_whole_page_is_under_200_KB()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        long total = 0;
        foreach (string asset in new[] { "/", "/app.js", "/app.css" })
        {
            byte[] body = await gateway.Http.GetByteArrayAsync(asset);
            total += body.Length;
        }

        Assert.InRange(total, 1000, 200 * 1024);
    }
}
