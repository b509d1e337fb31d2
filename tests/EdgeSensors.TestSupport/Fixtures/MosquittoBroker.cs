using System.Diagnostics;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A real Mosquitto, standing in for the IOC's broker, on a free loopback port, with persistence so that queued
/// messages for a persistent subscriber survive a stop and restart (as a production broker's would).
/// </summary>
public sealed class MosquittoBroker : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private Process? _process;

    /// <param name="maxQueuedMessages">Mosquitto's max_queued_messages: what it keeps per offline persistent session (its own default is 1,000); a small value plays a broker that drops what it acknowledged.</param>
    public MosquittoBroker(TlsFiles? tls = null, int maxQueuedMessages = 1_000_000)
    {
        Port = FreePort.Next();
        Tls = tls;
        // Started as root, Mosquitto drops to its own user: it must be able to write its persistence file here.
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF);
        }
        File.WriteAllText(System.IO.Path.Combine(_dir.Path, "mosquitto.conf"), $"""
            listener {Port} 127.0.0.1
            {(tls == null ? string.Empty : $"cafile {tls.CaPem}\ncertfile {tls.CertPem}\nkeyfile {tls.KeyPem}")}
            allow_anonymous true
            persistence true
            persistence_location {_dir.Path}/
            autosave_interval 1
            max_queued_messages {maxQueuedMessages}
            max_inflight_messages 100
            log_dest stderr
            log_type error
            """);
    }

    public int Port { get; }

    /// <summary>The TLS files the listener uses, when it is a TLS listener.</summary>
    public TlsFiles? Tls { get; }

    public static string Executable =>
        new[] { "/usr/sbin/mosquitto", "/usr/bin/mosquitto", "/usr/local/sbin/mosquitto" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("Mosquitto is not installed. Install it with 'apt-get install mosquitto' (bash .ci/run does this); the IOC tests need a real broker.");

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo(Executable, ["-c", System.IO.Path.Combine(_dir.Path, "mosquitto.conf")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(20));
    }

    /// <summary>Stops it the way an operator would (SIGTERM: it saves its persistence file).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using (Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _dir.Dispose();
    }
}
