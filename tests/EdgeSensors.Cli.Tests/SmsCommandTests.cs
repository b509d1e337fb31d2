using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Cli.Tests;

/// <summary>`edgesensors sms …` (issue 18): a technician subscribes a farmer, lists, cancels — through the API and on a stopped gateway's store.</summary>
public sealed class SmsCommandTests
{
    [Fact]
    public async Task A_technician_subscribes_lists_and_cancels_a_farmers_number_through_the_api_and_on_the_store()
    {
        using var dir = new TempDir();
        await using (var gateway = new GatewayProcess(dir.Path))
        {
            await gateway.StartAsync();
            string[] api = ["--gateway-url", gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken];
            Assert.Equal(0, (await CliProcess.RunAsync(["node", "add", "hg-sms-cli", .. api])).Code);

            var (code, stdout, stderr) = await CliProcess.RunAsync(["sms", "subscribe", "0912 345 678", "hg-sms-cli", "--crop", "mango", .. api]);
            Assert.True(code == 0, stderr);
            Assert.Contains("+84912345678 receives texts from hg-sms-cli for mango", stdout, StringComparison.Ordinal);

            (code, _, stderr) = await CliProcess.RunAsync(["sms", "subscribe", "02923 840 123", "hg-sms-cli", .. api]);
            Assert.NotEqual(0, code);
            Assert.Contains("not a Vietnamese mobile number", stderr, StringComparison.Ordinal);

            (code, _, stderr) = await CliProcess.RunAsync(["sms", "subscribe", "0912345678", "hg-nosuch", .. api]);
            Assert.NotEqual(0, code);
            Assert.Contains("no node \"hg-nosuch\"", stderr, StringComparison.Ordinal);

            (code, stdout, _) = await CliProcess.RunAsync(["sms", "list", "--json", .. api]);
            Assert.Equal(0, code);
            JsonElement sub = JsonDocument.Parse(stdout).RootElement.EnumerateArray().Single();
            Assert.Equal("+84912345678", sub.GetProperty("phone").GetString());
            Assert.StartsWith("api:", sub.GetProperty("source").GetString(), StringComparison.Ordinal);
        }

        // The gateway stopped: the same commands on its store.
        string[] store = ["--gateway-url", "https://127.0.0.1:1", "--data-dir", dir.Path];
        var (c2, out2, err2) = await CliProcess.RunAsync(["sms", "subscribe", "+84 386 123 456", "hg-sms-cli", "--crop", "rice_sowing", .. store]);
        Assert.True(c2 == 0, err2);
        Assert.Contains("gateway store at", out2, StringComparison.Ordinal);
        (c2, out2, _) = await CliProcess.RunAsync(["sms", "cancel", "0912345678", .. store]);
        Assert.Equal(0, c2);
        Assert.Contains("1 subscription(s) of +84912345678 removed", out2, StringComparison.Ordinal);
        (c2, out2, _) = await CliProcess.RunAsync(["sms", "list", "--json", .. store]);
        Assert.Equal("+84386123456", JsonDocument.Parse(out2).RootElement.EnumerateArray().Single().GetProperty("phone").GetString());
    }
}
