using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>Issue 29: uplink credentials without TLS ended in an unhandled exception (exit 134) instead of the one-line refusal.</summary>
public sealed class UplinkOptionRefusalTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Uplink_credentials_without_TLS_are_refused_in_one_line_with_exit_code_2()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, 1883, new Dictionary<string, string>
        {
            ["Uplink:Username"] = "gw-1",
            ["Uplink:Password"] = "pw-SECRETPART",
        });
        int code = await gateway.RunToExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(gateway.Output);
        Assert.Equal(2, code);
        Assert.Contains("cannot start: Uplink: a username/password would be sent to the IOC without TLS", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETPART", gateway.Output, StringComparison.Ordinal);
    }
}
