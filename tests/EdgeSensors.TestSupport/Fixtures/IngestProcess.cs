using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>The ingest service as a real process (its own build output), on a free HTTP port, killable.</summary>
public sealed class IngestProcess : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;
    private readonly List<string> _output = [];
    private Process? _process;

    public IngestProcess(string name, IDictionary<string, string> settings)
    {
        Name = name;
        HttpPort = FreePort.Next();
        _settings = new Dictionary<string, string>(settings)
        {
            ["Urls"] = $"http://127.0.0.1:{HttpPort}",
        };

        // A test may pass Ingest:InstanceName "" to run with the ingest's own default identity.
        _settings.TryAdd("Ingest:InstanceName", name);
        _settings.TryAdd("Ingest:Api:TokensFile", System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"ingest-tokens-{Guid.NewGuid():N}.json"));
        TokensFile = _settings["Ingest:Api:TokensFile"];
        Http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{HttpPort}") };
    }

    public string Name { get; }

    /// <summary>The API tokens file the ingest writes at its first start; <see cref="Http"/> carries its operator token once started.</summary>
    public string TokensFile { get; }

    /// <summary>A token of a role from <see cref="TokensFile"/> (after start).</summary>
    public string Token(string role) => JsonDocument.Parse(File.ReadAllText(TokensFile)).RootElement.GetProperty(role).GetString()!;

    public int HttpPort { get; }

    public HttpClient Http { get; }

    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join('\n', _output);
            }
        }
    }

    public bool IsRunning => _process is { HasExited: false };

    public int? ExitCode => _process is { HasExited: true } p ? p.ExitCode : null;

    private Process Launch(params string[] extra)
    {
        var psi = new ProcessStartInfo("dotnet", [IngestBuildAttribute.Path_, .. extra, .. _settings.Select(kv => $"--{kv.Key}={kv.Value}")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(IngestBuildAttribute.Path_)!,
        };
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, e) => Keep(e.Data);
        p.ErrorDataReceived += (_, e) => Keep(e.Data);
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private void Keep(string? line)
    {
        if (line != null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }

    public async Task StartAsync()
    {
        _process = Launch();
        await FreePort.WaitListeningOrExitAsync(_process, HttpPort, TimeSpan.FromSeconds(60), "the ingest", () => Output);
        Http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", Token("operator"));
    }

    /// <summary>Runs a command (e.g. report) to its end; returns exit code and output.</summary>
    public async Task<(int Code, string Output)> RunCommandAsync(TimeSpan timeout, params string[] args)
    {
        using Process p = Launch(args);
        await p.WaitForExitAsync().WaitAsync(timeout);
        await Task.Delay(100);
        return (p.ExitCode, Output);
    }

    public async Task<JsonElement> GetAsync(string path) => await Http.GetFromJsonAsync<JsonElement>(path);

    /// <summary>kill -9 mid-stream.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        Http.Dispose();
        if (TokensFile.StartsWith(System.IO.Path.GetTempPath(), StringComparison.Ordinal))
        {
            File.Delete(TokensFile);
        }
    }
}
