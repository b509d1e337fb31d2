namespace EdgeSensors.Cli.Tests;

/// <summary>The operator token never crosses a network in clear, and a malformed gateway address is one sentence, not a stack trace.</summary>
public sealed class ClearTextTests
{
    [Theory]
    [InlineData("node", "list")]
    [InlineData("gateway", "status")]
    public async Task An_http_address_of_another_machine_is_refused_before_anything_is_sent(string group, string command)
    {
        // A name under .invalid never resolves (RFC 6761): had the CLI tried to connect, it would say so, not this.
        var (code, _, stderr) = await CliProcess.RunAsync([group, command, "--gateway-url", "http://gateway.invalid:8080", "--token", "a-token-that-must-not-leave"]);
        Assert.NotEqual(0, code);
        Assert.Contains("refusing to send the operator token in clear to gateway.invalid", stderr, StringComparison.Ordinal);
        Assert.Contains("https://gateway.invalid:8443", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_address_without_a_scheme_says_how_to_write_it()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "list", "--gateway-url", "192.168.1.10:8080", "--token", "t"]);
        Assert.NotEqual(0, code);
        Assert.Contains("is not a gateway address", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}
