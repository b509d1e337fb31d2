namespace EdgeSensors.Cli.Tests;

/// <summary>The technicians' CLI opens a stopped gateway's store through the core and the SQLite adapter, never the web host (issue 12).</summary>
public sealed class LayeringTests
{
    [Fact]
    public void The_built_CLI_does_not_reference_or_ship_the_gateway_web_host()
    {
        System.Reflection.Assembly cli = typeof(EdgeSensors.Cli.Commands.NodeAdmin).Assembly;
        string[] refs = cli.GetReferencedAssemblies().Select(n => n.Name!).ToArray();
        Assert.Contains("EdgeSensors.Gateway.Storage.Sqlite", refs);
        Assert.DoesNotContain("EdgeSensors.Gateway", refs);
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.False(File.Exists(Path.Combine(AppContext.BaseDirectory, "EdgeSensors.Gateway.dll")), "the gateway host's assembly was copied next to the CLI");
    }
}
