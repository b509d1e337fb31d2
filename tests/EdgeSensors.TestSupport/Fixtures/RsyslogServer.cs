using System.Diagnostics;
using System.Text.Json;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A real rsyslog (Debian's rsyslogd) standing in for the province SOC's syslog receiver, on a loopback port, over
/// TLS (RFC 5425, gtls driver from rsyslog-gnutls) or plain TCP. rsyslog's own RFC 5424 parser and mmpstrucdata
/// split each message; every message is written as one JSON line with the header fields and the structured data as
/// rsyslog understood them, so tests read what the SOC would see, not what the gateway meant to send.
/// </summary>
public sealed class RsyslogServer : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly string _config;
    private Process? _process;

    public RsyslogServer(TlsFiles? tls)
    {
        Port = FreePort.Next();
        Tls = tls;
        string output = System.IO.Path.Combine(_dir.Path, "received.jsonl");
        OutputPath = output;
        _config = System.IO.Path.Combine(_dir.Path, "rsyslog.conf");
        string tlsGlobal = tls == null ? string.Empty
            : $" defaultNetstreamDriver=\"gtls\" defaultNetstreamDriverCAFile=\"{tls.CaPem}\" defaultNetstreamDriverCertFile=\"{tls.CertPem}\" defaultNetstreamDriverKeyFile=\"{tls.KeyPem}\"";
        string tlsModule = tls == null ? string.Empty : " StreamDriver.Name=\"gtls\" StreamDriver.Mode=\"1\" StreamDriver.AuthMode=\"anon\"";
        File.WriteAllText(_config, $$"""
            global(workDirectory="{{_dir.Path}}"{{tlsGlobal}})
            module(load="imtcp"{{tlsModule}})
            module(load="mmpstrucdata")
            input(type="imtcp" port="{{Port}}" address="127.0.0.1" ruleset="soc")
            template(name="socjson" type="list") {
              constant(value="{")
              property(outname="pri" name="pri" format="jsonf")
              constant(value=",")
              property(outname="facility" name="syslogfacility-text" format="jsonf")
              constant(value=",")
              property(outname="severity" name="syslogseverity-text" format="jsonf")
              constant(value=",")
              property(outname="protocol_version" name="protocol-version" format="jsonf")
              constant(value=",")
              property(outname="app" name="app-name" format="jsonf")
              constant(value=",")
              property(outname="msgid" name="msgid" format="jsonf")
              constant(value=",")
              property(outname="host" name="hostname" format="jsonf")
              constant(value=",")
              property(outname="msg" name="msg" format="jsonf")
              constant(value=",\"sd\":")
              property(name="$!rfc5424-sd")
              constant(value="}\n")
            }
            ruleset(name="soc") {
              action(type="mmpstrucdata")
              action(type="omfile" file="{{output}}" template="socjson" flushOnTXEnd="on" asyncWriting="off")
            }
            """);
    }

    public int Port { get; }

    public TlsFiles? Tls { get; }

    public string OutputPath { get; }

    public static string Executable =>
        new[] { "/usr/sbin/rsyslogd", "/usr/bin/rsyslogd" }.FirstOrDefault(File.Exists)
        ?? throw new InvalidOperationException("rsyslog is not installed. Install it with 'apt-get install rsyslog rsyslog-gnutls' (bash .ci/run does this); the SOC tests need a real syslog receiver.");

    public async Task StartAsync()
    {
        if (Tls != null && !File.Exists("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so") && !File.Exists("/usr/lib/aarch64-linux-gnu/rsyslog/lmnsd_gtls.so"))
        {
            throw new InvalidOperationException("rsyslog's TLS driver is not installed. Install it with 'apt-get install rsyslog-gnutls' (bash .ci/run does this).");
        }

        var psi = new ProcessStartInfo(Executable, ["-n", "-f", _config, "-i", System.IO.Path.Combine(_dir.Path, "rsyslogd.pid")])
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        _process = Process.Start(psi)!;
        _process.ErrorDataReceived += (_, e) => Log(e.Data);
        _process.OutputDataReceived += (_, e) => Log(e.Data);
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        await FreePort.WaitListeningAsync(Port, TimeSpan.FromSeconds(20));
    }

    /// <summary>rsyslogd's own output (configuration errors show here).</summary>
    public string Diagnostics { get; private set; } = string.Empty;

    private void Log(string? line)
    {
        if (line != null)
        {
            lock (_config)
            {
                Diagnostics += line + "\n";
            }
        }
    }

    /// <summary>Every message received so far, as rsyslog parsed it.</summary>
    public IReadOnlyList<JsonElement> Received()
    {
        if (!File.Exists(OutputPath))
        {
            return [];
        }

        var list = new List<JsonElement>();
        using var stream = new FileStream(OutputPath, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length > 0)
            {
                list.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        return list;
    }

    /// <summary>Waits until a received message satisfies <paramref name="match"/>, and returns it.</summary>
    public async Task<JsonElement> WaitForAsync(Func<JsonElement, bool> match, TimeSpan timeout, string what)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < end)
        {
            foreach (JsonElement e in Received())
            {
                if (match(e))
                {
                    return e;
                }
            }

            await Task.Delay(200);
        }

        throw new TimeoutException($"rsyslog did not receive {what} within {timeout.TotalSeconds:F0} s; received:\n{string.Join("\n", Received())}\nrsyslogd said:\n{Diagnostics}");
    }

    public async Task StopAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        }

        _process?.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}
