using Microsoft.Playwright;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// Debian's Chromium (/usr/bin/chromium, installed by .ci/run) driven by Playwright: browser downloads cannot work on
/// this network. Headless, and kept off the network except for the page under test.
/// </summary>
public static class DebianChromium
{
    public const string Path = "/usr/bin/chromium";

    /// <summary>Fails the test, naming the fix, when the browser is not installed.</summary>
    public static void RequireInstalled() =>
        Assert.True(File.Exists(Path), $"{Path} is missing: install Debian's chromium package (bash .ci/run does).");

    public static Task<IBrowser> LaunchAsync(IPlaywright playwright) => playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
    {
        ExecutablePath = Path,
        Headless = true,
        Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    });
}
