namespace EdgeSensors.Cli.Tests;

/// <summary>
/// Issue 30, "tools that never point the wrong way": each trap a technician fell into gives a one-line fix and a
/// non-zero exit before anything is written or sent.
/// </summary>
public sealed class TrapTests
{
    [Fact]
    public async Task Node_config_with_host_and_port_in_one_writes_nothing_and_says_how()
    {
        using var dir = new EdgeSensors.Gateway.Tests.Fixtures.TempDir();
        string output = Path.Combine(dir.Path, "node.json");
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-vithanh-012", "--secret", "correct-horse-battery", "--wifi-ssid", "UBND-ViThanh",
            "--wifi-password", "12345678", "--gateway-host", "192.168.1.10:8883", "--no-check", "--out", output]);
        Assert.NotEqual(0, code);
        // The firmware's decoder is the one home of the rule: its words, through the CLI.
        Assert.Contains("the port goes in \"gateway.port\", and no scheme", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(output));
    }

    [Theory]
    [InlineData("192.168.1.10:8080")]
    [InlineData("gateway.local")]
    [InlineData("ftp://192.168.1.10")]
    public async Task A_gateway_url_without_its_scheme_is_refused_with_an_example_and_no_stack_trace(string url)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["gateway", "status", "--gateway-url", url]);
        Assert.Equal(1, code);
        Assert.Contains("write it with its scheme, e.g. https://", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", stderr, StringComparison.Ordinal);
    }
}

/// <summary>Issue 30: an untrusted certificate is named as TLS with the CA remedy, not as a stopped service; with the CA the same command works.</summary>
public sealed class TlsTrapTests
{
    [Fact]
    public async Task Https_without_the_gateways_CA_says_TLS_and_how_to_fix_it_and_with_it_the_command_works()
    {
        using var dir = new EdgeSensors.Gateway.Tests.Fixtures.TempDir();
        await using var gateway = new EdgeSensors.Gateway.Tests.Fixtures.GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string url = $"https://127.0.0.1:{gateway.HttpsPort}";
        string elsewhere = Path.Combine(dir.Path, "not-here", "ca.crt");

        var (code, _, stderr) = await CliProcess.RunAsync(["gateway", "status", "--gateway-url", url, "--ca", elsewhere, "--token", EdgeSensors.Gateway.Tests.Fixtures.GatewayProcess.OperatorToken]);
        Assert.Equal(EdgeSensors.Cli.Commands.ExitCodes.GatewayUnavailable, code);
        Assert.Contains("TLS:", stderr, StringComparison.Ordinal);
        Assert.Contains("--ca", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("service running", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await CliProcess.RunAsync(["node", "list", "--gateway-url", url, "--ca", elsewhere, "--token", EdgeSensors.Gateway.Tests.Fixtures.GatewayProcess.OperatorToken]);
        Assert.NotEqual(0, code);
        Assert.Contains("TLS:", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await CliProcess.RunAsync(["gateway", "status", "--gateway-url", url, "--ca", gateway.CaPath, "--token", EdgeSensors.Gateway.Tests.Fixtures.GatewayProcess.OperatorToken]);
        Assert.True(code == 0, stderr);
        (code, _, stderr) = await CliProcess.RunAsync(["node", "list", "--gateway-url", url, "--ca", gateway.CaPath, "--token", EdgeSensors.Gateway.Tests.Fixtures.GatewayProcess.OperatorToken]);
        Assert.True(code == 0, stderr);
    }
}
