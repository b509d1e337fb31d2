using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Cli.Tests;

/// <summary>
/// Issue 30: deploy/README.md's SMS section as a technician follows it — its gammu-smsdrc.example run by a real
/// gammu-smsd (on Gammu's dummy phone instead of the modem), and its "Check:" commands taken from the README itself
/// and run with the CLI against a real gateway: subscribe with the farmer's crop word, text MAN, see the answer sent.
/// </summary>
public sealed class DeploySmsCheckTests(ITestOutputHelper output)
{
    private static string RepoFile(string relative)
    {
        for (DirectoryInfo? d = new(AppContext.BaseDirectory); d != null; d = d.Parent)
        {
            string candidate = Path.Combine(d.FullName, relative);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new FileNotFoundException(relative);
    }

    [GammuFact]
    public async Task The_deploy_sections_sms_check_runs_as_written_with_the_example_config_on_gammus_dummy_phone()
    {
        string readme = await File.ReadAllTextAsync(RepoFile("deploy/README.md"));
        Match section = Regex.Match(readme, @"## 2b\. SMS alerts.*?(?=\n## )", RegexOptions.Singleline);
        Assert.True(section.Success, "deploy/README.md has its SMS section (2b)");
        Match check = Regex.Match(section.Value, @"Check: `edgesensors (sms subscribe <your number> <a station>[^`]*)`, then text `(MAN <station>)`");
        Assert.True(check.Success, "the section's Check: line, as this test reads it");
        Assert.Contains("`edgesensors sms texts` shows it \"sent\"", section.Value, StringComparison.Ordinal);
        // docs/sms.md points at this section by its number and name.
        Assert.Contains("`deploy/README.md`, \"2b. SMS alerts", await File.ReadAllTextAsync(RepoFile("docs/sms.md")), StringComparison.Ordinal);

        await using var smsd = new GammuSmsdServer(await File.ReadAllTextAsync(RepoFile("deploy/gammu-smsdrc.example")));
        await smsd.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, new Dictionary<string, string>
        {
            ["Sms:Enabled"] = "true",
            ["Sms:SmsdConfigPath"] = smsd.Config,
            ["Sms:QuietFromHour"] = "0",
            ["Sms:QuietUntilHour"] = "0",
        });
        await gateway.StartAsync();
        string[] api = ["--gateway-url", gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken];
        await using (var node = new TestNode("hg-vitan-001", await gateway.RegisterNodeAsync("hg-vitan-001", place: "Cống Vị Tân")))
        {
            Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
            Assert.True((await node.PublishAsync(node.NextSample(0.4))).IsSuccess);
        }

        // The README's own command line, with a number and a station filled in (the station by its place's name).
        const string Farmer = "0912 345 678";
        string[] words = check.Groups[1].Value.Replace("<your number>", "\u0001", StringComparison.Ordinal).Replace("<a station>", "\u0002", StringComparison.Ordinal)
            .Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(w => w == "\u0001" ? Farmer : w == "\u0002" ? "Vị Tân" : w).ToArray();
        var (code, stdout, stderr) = await CliProcess.RunAsync([.. words, .. api]);
        output.WriteLine(stdout + stderr);
        Assert.True(code == 0, stderr);
        Assert.Contains("+84912345678 receives texts from hg-vitan-001 for rice_tillering", stdout, StringComparison.Ordinal);

        // Then the farmer texts MAN <station>: the answer comes (the README says within a minute) and is listed as sent.
        smsd.Deliver("+84912345678", check.Groups[2].Value.Replace("<station>", "hg-vitan-001", StringComparison.Ordinal));
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        string texts = string.Empty;
        while (!Regex.IsMatch(texts, @"reply\s+sent"))
        {
            Assert.False(cts.IsCancellationRequested, $"no answer sent within a minute:\n{texts}\n{smsd.Log}");
            await smsd.WaitForLogAsync(cts.Token);
            (code, texts, stderr) = await CliProcess.RunAsync(["sms", "texts", .. api]);
            Assert.True(code == 0, stderr);
        }

        output.WriteLine(texts);
        Assert.Contains(smsd.Sent(), t => t.Number == "+84912345678" && t.Text.Contains("0,4", StringComparison.Ordinal));
    }
}
