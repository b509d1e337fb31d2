using System.Diagnostics;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A real RabbitMQ (Debian's rabbitmq-server, 3.10) with its MQTT plugin, standing in for a province IOC that runs
/// RabbitMQ: its own node name, data directory and loopback ports (AMQP, MQTT, Erlang distribution), started as the
/// test's user straight from the package's server script. MQTT 3.1.1 only (the plugin's version in 3.10);
/// persistent sessions are durable queues, so a stop and start keeps what a persistent subscriber has not taken.
/// </summary>
public sealed class RabbitMqBroker : IAsyncDisposable
{
    public const string ServerScript = "/usr/lib/rabbitmq/bin/rabbitmq-server";
    public const string CtlScript = "/usr/lib/rabbitmq/bin/rabbitmqctl";
    private readonly TempDir _dir = new();
    private Process? _process;
    private readonly List<string> _output = [];

    /// <param name="cookie">The Erlang cookie, the same for every node of a cluster (nodes of a cluster must share it).</param>
    public RabbitMqBroker(string? nodeName = null, string? cookie = null)
    {
        int? amqpPort = null, mqttPort = null;
        if (cookie != null)
        {
            string file = Path.Combine(_dir.Path, ".erlang.cookie");
            File.WriteAllText(file, cookie);
            if (!OperatingSystem.IsWindows())
            {
                File.SetUnixFileMode(file, UnixFileMode.UserRead);
            }
        }

        Port = mqttPort ?? FreePort.Next();
        AmqpPort = amqpPort ?? FreePort.Next();
        DistPort = FreePort.Next();
        NodeName = nodeName ?? $"es{Guid.NewGuid().ToString("N")[..10]}@localhost";
        File.WriteAllText(Path.Combine(_dir.Path, "enabled_plugins"), "[rabbitmq_mqtt].\n");
        File.WriteAllText(Path.Combine(_dir.Path, "rabbitmq.conf"), $"""
            listeners.tcp.default = 127.0.0.1:{AmqpPort}
            mqtt.listeners.tcp.default = 127.0.0.1:{Port}
            mqtt.allow_anonymous = true
            mqtt.vhost = /
            mqtt.exchange = amq.topic
            loopback_users = none
            log.console = true
            log.console.level = warning
            log.file = false
            """);
    }

    /// <summary>True where the Debian package is installed.</summary>
    public static bool IsInstalled => File.Exists(ServerScript);

    /// <summary>Why RabbitMQ tests are skipped here, or null.</summary>
    public static string? Missing => IsInstalled ? null
        : "rabbitmq-server is not installed on this machine (apt-get install rabbitmq-server; bash .ci/run does it as root): the RabbitMQ runs of these tests are skipped";

    /// <summary>The MQTT plugin's port.</summary>
    public int Port { get; }

    public int AmqpPort { get; }

    public int DistPort { get; }

    public string NodeName { get; }

    public string DataDirectory => _dir.Path;

    public string Output => string.Join('\n', _output);

    /// <summary>Settings the gateway needs for this broker: the MQTT plugin speaks 3.1.1.</summary>
    public static IReadOnlyDictionary<string, string> GatewaySettings { get; } = new Dictionary<string, string> { ["Uplink:ProtocolVersion"] = "3" };

    private ProcessStartInfo Start(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        psi.Environment["HOME"] = _dir.Path; // the Erlang cookie lives here
        psi.Environment["RABBITMQ_NODENAME"] = NodeName;
        psi.Environment["RABBITMQ_DIST_PORT"] = DistPort.ToString(System.Globalization.CultureInfo.InvariantCulture);
        psi.Environment["RABBITMQ_MNESIA_BASE"] = Path.Combine(_dir.Path, "mnesia");
        psi.Environment["RABBITMQ_LOG_BASE"] = Path.Combine(_dir.Path, "log");
        psi.Environment["RABBITMQ_CONFIG_FILE"] = Path.Combine(_dir.Path, "rabbitmq");
        psi.Environment["RABBITMQ_ENABLED_PLUGINS_FILE"] = Path.Combine(_dir.Path, "enabled_plugins");
        psi.Environment["RABBITMQ_PID_FILE"] = Path.Combine(_dir.Path, "pid");
        return psi;
    }

    public async Task StartAsync()
    {
        if (!IsInstalled)
        {
            throw new InvalidOperationException(Missing);
        }

        _process = Process.Start(Start(ServerScript))!;
        _process.OutputDataReceived += (_, e) => Keep(e.Data);
        _process.ErrorDataReceived += (_, e) => Keep(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        try
        {
            await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"RabbitMQ {NodeName} did not open its MQTT port within 90 s:\n{Output}");
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

    /// <summary>rabbitmqctl against this node; returns its output (throws on failure).</summary>
    public async Task<string> CtlAsync(params string[] args)
    {
        using Process p = Process.Start(Start(CtlScript, ["-n", NodeName, .. args]))!;
        Task<string> stdout = p.StandardOutput.ReadToEndAsync();
        Task<string> stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        if (p.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl {string.Join(' ', args)} failed ({p.ExitCode}): {await stderr}");
        }

        return await stdout;
    }

    /// <summary>Makes this (started) node join <paramref name="seed"/>'s cluster, as an operator would with rabbitmqctl.</summary>
    public async Task JoinClusterAsync(RabbitMqBroker seed)
    {
        await CtlAsync("stop_app");
        await CtlAsync("join_cluster", seed.NodeName);
        await CtlAsync("start_app");
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(90));
    }

    /// <summary>Stops it the way an operator would (SIGTERM: the Erlang VM shuts the node down cleanly).</summary>
    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            using (Process.Start("kill", ["-TERM", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])!)
            {
            }

            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
        }

        _process?.Dispose();
        _process = null;
    }

    /// <summary>Kills it (SIGKILL): a node lost, not stopped.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _dir.Dispose();
    }
}
