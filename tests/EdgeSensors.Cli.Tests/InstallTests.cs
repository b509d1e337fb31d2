using System.Diagnostics;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Cli.Tests;

public class InstallTests
{
    private static string Deploy(string file) => Path.Combine(AppContext.BaseDirectory, "deploy", file);

    private static async Task<(int Code, string Output)> Verify(string unit)
    {
        var psi = new ProcessStartInfo("systemd-analyze", ["verify", unit]) { RedirectStandardError = true, RedirectStandardOutput = true };
        using Process p = Process.Start(psi)!;
        string output = await p.StandardOutput.ReadToEndAsync() + await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        return (p.ExitCode, output);
    }

    [Fact]
    public async Task The_systemd_unit_passes_systemd_analyze_verify_where_available()
    {
        string unit = await File.ReadAllTextAsync(Deploy("edgesensors-gateway.service"));
        Assert.Contains("Restart=always", unit, StringComparison.Ordinal);
        Assert.Contains("User=edgesensors", unit, StringComparison.Ordinal);
        Assert.Contains("--Gateway:DataDirectory=/var/lib/edgesensors", unit, StringComparison.Ordinal);

        if (!File.Exists("/usr/bin/systemd-analyze") && !File.Exists("/bin/systemd-analyze"))
        {
            return; // not available on this machine: the content checks above still ran
        }

        // Verify the unit as written, with its program path pointing at a stand-in executable (the real one is
        // only on a Pi after install.sh).
        using var dir = new TempDir();
        string gw = Path.Combine(dir.Path, "gateway");
        Directory.CreateDirectory(gw);
        await File.WriteAllTextAsync(Path.Combine(gw, "EdgeSensors.Gateway"), "#!/bin/sh\n");
        File.SetUnixFileMode(Path.Combine(gw, "EdgeSensors.Gateway"), (UnixFileMode)0x1ED);
        string copy = Path.Combine(dir.Path, "edgesensors-gateway.service");
        await File.WriteAllTextAsync(copy, unit.Replace("/opt/edgesensors/gateway", gw, StringComparison.Ordinal));
        var (code, output) = await Verify(copy);
        Assert.True(code == 0 && output.Trim().Length == 0, output);

        // The verifier really reads the file: a broken copy is reported.
        string broken = Path.Combine(dir.Path, "broken.service");
        await File.WriteAllTextAsync(broken, unit.Replace("/opt/edgesensors/gateway", gw, StringComparison.Ordinal).Replace("Restart=always", "Restart=sometimes", StringComparison.Ordinal));
        Assert.Contains("Restart", (await Verify(broken)).Output, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_install_script_is_valid_bash_and_keeps_the_data_folder()
    {
        string script = Deploy("install.sh");
        var psi = new ProcessStartInfo("bash", ["-n", script]) { RedirectStandardError = true };
        using Process p = Process.Start(psi)!;
        string err = await p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        Assert.True(p.ExitCode == 0, err);
        string text = await File.ReadAllTextAsync(script);
        Assert.DoesNotContain("rm -rf /var/lib/edgesensors", text, StringComparison.Ordinal);
        Assert.Contains("gateway.previous", text, StringComparison.Ordinal);
    }
}
