using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Tests.Architecture;

namespace EdgeSensors.Gateway.Tests.Deploy;

/// <summary>Issue 19: the gateway's systemd unit is hardened to "OK" or better by systemd's own judge, and has a memory cap.</summary>
public sealed partial class SystemdUnitTests
{
    private static readonly string Unit = Path.Combine(LayeringTests.RepoRoot(), "deploy", "edgesensors-gateway.service");

    [Fact]
    public async Task Systemd_analyze_security_rates_the_unit_OK_or_better()
    {
        string? tool = new[] { "/usr/bin/systemd-analyze", "/bin/systemd-analyze" }.FirstOrDefault(File.Exists);
        Assert.True(tool != null, "systemd-analyze is not installed (Debian package systemd; .ci/run installs it): the unit's rating cannot be checked");
        var psi = new ProcessStartInfo(tool!, ["security", "--offline=true", "--no-pager", Unit]) { RedirectStandardOutput = true, RedirectStandardError = true };
        using Process p = Process.Start(psi)!;
        string output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Match m = Overall().Match(output);
        Assert.True(m.Success, output);
        double exposure = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
        string rating = m.Groups[2].Value;
        Assert.True(rating is "SAFE" or "OK", $"exposure {exposure} {rating}:\n{output}");
    }

    [Fact]
    public void The_unit_caps_memory_creates_private_files_and_keeps_no_capabilities()
    {
        string[] lines = File.ReadAllLines(Unit);
        Assert.Contains(lines, l => l.StartsWith("MemoryMax=", StringComparison.Ordinal));
        Assert.Contains("UMask=0077", lines);
        Assert.Contains("CapabilityBoundingSet=", lines);
        Assert.Contains("NoNewPrivileges=true", lines);
    }

    [GeneratedRegex(@"Overall exposure level for \S+: ([0-9.]+) (\w+)")]
    private static partial Regex Overall();
}
