using System.Diagnostics;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// Runs `edgesensors` as a process, as a technician would, optionally answering its prompts. The test project must
/// reference edge/EdgeSensors.Cli, so that edgesensors.dll is beside the tests.
/// </summary>
public sealed class CliProcess
{
    public static async Task<(int Code, string Out, string Err)> RunAsync(string[] args, IDictionary<string, string?>? env = null)
    {
        using Process p = Start(args, env, redirectInput: false);
        Task<string> o = p.StandardOutput.ReadToEndAsync();
        Task<string> e = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
        return (p.ExitCode, await o, await e);
    }

    public static Process Start(string[] args, IDictionary<string, string?>? env, bool redirectInput)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = redirectInput,
            UseShellExecute = false,
        };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "edgesensors.dll"));
        foreach (string a in args)
        {
            psi.ArgumentList.Add(a);
        }

        psi.Environment["NO_COLOR"] = "1";
        psi.Environment.Remove("EDGESENSORS_OPERATOR_TOKEN");
        foreach (var kv in env ?? new Dictionary<string, string?>())
        {
            psi.Environment[kv.Key] = kv.Value;
        }

        return Process.Start(psi)!;
    }
}
