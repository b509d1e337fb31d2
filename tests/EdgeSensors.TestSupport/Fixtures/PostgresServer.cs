using System.Diagnostics;
using System.Security.Cryptography;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A real PostgreSQL (Debian's postgresql 15) in a temporary data directory on a loopback port, with a password
/// login. PostgreSQL refuses to run as root: when the tests run as root (CI), initdb and the server run as the
/// package's unprivileged "postgres" user through setpriv (which execs, so the process the test holds is the server).
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    public const string User = "ingest";
    private readonly TempDir _dir = new();
    private readonly List<string> _output = [];
    private Process? _process;

    public PostgresServer()
    {
        Port = FreePort.Next();
        Password = Convert.ToHexString(RandomNumberGenerator.GetBytes(12));
    }

    public static string? BinDirectory => Directory.Exists("/usr/lib/postgresql")
        ? Directory.GetDirectories("/usr/lib/postgresql").Select(d => Path.Combine(d, "bin")).Where(d => File.Exists(Path.Combine(d, "postgres"))).OrderDescending().FirstOrDefault()
        : null;

    /// <summary>Why PostgreSQL tests are skipped here, or null.</summary>
    public static string? Missing => BinDirectory != null ? null
        : "postgresql is not installed on this machine (apt-get install postgresql; bash .ci/run does it as root): the PostgreSQL tests are skipped";

    public int Port { get; }

    public string Password { get; }

    public string ConnectionString => $"Host=127.0.0.1;Port={Port};Username={User};Password={Password};Database=postgres;Pooling=true;Maximum Pool Size=20;Timeout=15";

    public string DataDirectory => Path.Combine(_dir.Path, "pgdata");

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

    private static bool IsRoot => !OperatingSystem.IsWindows() && Environment.UserName == "root";

    private ProcessStartInfo As(string program, params string[] args)
    {
        string exe = Path.Combine(BinDirectory!, program);
        ProcessStartInfo psi = IsRoot
            ? new ProcessStartInfo("setpriv", ["--reuid=postgres", "--regid=postgres", "--init-groups", exe, .. args])
            : new ProcessStartInfo(exe, args);
        psi.RedirectStandardError = true;
        psi.RedirectStandardOutput = true;
        psi.UseShellExecute = false;
        psi.WorkingDirectory = _dir.Path;
        return psi;
    }

    public async Task StartAsync()
    {
        if (Missing is { } why)
        {
            throw new InvalidOperationException(why);
        }

        if (!Directory.Exists(DataDirectory))
        {
            if (IsRoot)
            {
                File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1FF); // the postgres user creates pgdata (0700, its own) inside
            }

            string pwfile = Path.Combine(_dir.Path, "pw");
            await File.WriteAllTextAsync(pwfile, Password);
            if (IsRoot)
            {
                File.SetUnixFileMode(pwfile, (UnixFileMode)0x1A4);
            }

            using Process init = Process.Start(As("initdb", "-D", DataDirectory, "-U", User, "--pwfile", pwfile, "--auth=scram-sha-256", "-E", "UTF8", "--locale=C.UTF-8", "--no-instructions"))!;
            Task<string> err = init.StandardError.ReadToEndAsync();
            Task<string> outText = init.StandardOutput.ReadToEndAsync();
            await init.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(120));
            File.Delete(pwfile);
            if (init.ExitCode != 0)
            {
                throw new InvalidOperationException($"initdb failed ({init.ExitCode}): {await err}\n{await outText}");
            }
        }

        _process = Process.Start(As("postgres", "-D", DataDirectory, "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "-c", "listen_addresses=127.0.0.1", "-c", $"unix_socket_directories={_dir.Path}", "-c", "max_connections=200", "-c", "shared_buffers=64MB"))!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        try
        {
            await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(60));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"PostgreSQL did not listen on {Port} within 60 s:\n{Output}");
        }

        // Listening is not yet accepting: wait for the startup to finish.
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (!Output.Contains("ready to accept connections", StringComparison.Ordinal) && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }
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

    /// <summary>psql as the test user; returns its output (unaligned, tuples only).</summary>
    public async Task<string> SqlAsync(string sql)
    {
        ProcessStartInfo psi = As("psql", "-h", "127.0.0.1", "-p", Port.ToString(System.Globalization.CultureInfo.InvariantCulture), "-U", User, "-d", "postgres", "-At", "-v", "ON_ERROR_STOP=1", "-c", sql);
        psi.Environment["PGPASSWORD"] = Password;
        using Process p = Process.Start(psi)!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"psql failed: {await stderr}");
        }

        return (await stdout).Trim();
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            // Fast shutdown (SIGINT) so the server removes its shared memory; SIGKILL if it lingers.
            using (Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
            }

            try
            {
                await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
            }
            catch (TimeoutException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process?.Dispose();
        _dir.Dispose();
    }
}
