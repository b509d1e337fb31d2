using EdgeSensors.Gateway.Tests.Fixtures;
using Microsoft.Playwright;

namespace EdgeSensors.Gateway.Tests.Web;

/// <summary>
/// The farmers' page in a real headless Chromium (Debian's, at /usr/bin/chromium: browser downloads cannot work
/// here), served by the real gateway fed by a real MQTT node.
/// </summary>
public sealed class FarmersPageBrowserTests(ITestOutputHelper output)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task A_station_turns_red_without_a_reload_when_salinity_passes_the_rice_threshold_and_the_page_switches_to_English()
    {
        Assert.True(File.Exists(Chromium), $"{Chromium} is missing: install Debian's chromium package (bash .ci/run does).");
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-page-1", place: "Kênh Xáng Xà No");
        await using var node = new TestNode("hg-page-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        Assert.True((await node.PublishAsync(node.NextSample(0.4), node.NextSample(0.5))).IsSuccess);

        using IPlaywright playwright = await Playwright.CreateAsync();
        await using IBrowser browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
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

        // Salt arrives with the flood: the page updates itself (server-sent events), no reload.
        await page.EvaluateAsync("() => { window.__noReload = true; }");
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
