using System.Diagnostics;
using System.Text;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A real gammu-smsd (Debian's gammu-smsd) with Gammu's dummy phone driver: a directory plays the phone (texts
/// received are files in its sms/1 folder, in Gammu's SMS backup format), and the FILES backend keeps the inbox,
/// outbox, sent and error folders the gateway works with.
/// </summary>
public sealed class GammuSmsdServer : IAsyncDisposable
{
    public const string Daemon = "/usr/bin/gammu-smsd";
    private readonly TempDir _dir = new();
    private readonly List<string> _output = [];
    private Process? _process;
    private int _delivered;

    /// <summary>
    /// The daemon with a configuration as deploy/ ships it (<paramref name="exampleConfig"/>, e.g.
    /// deploy/gammu-smsdrc.example): only what cannot run here is changed — the modem becomes Gammu's dummy phone
    /// (device, connection), the spool moves from /var/spool/gammu to a temporary folder, and the log from syslog to
    /// a file at debug level 1 (what <see cref="Sent"/> reads). Every other setting is the example's.
    /// </summary>
    public GammuSmsdServer(string exampleConfig)
        : this()
    {
        string text = exampleConfig
            .Replace("/var/spool/gammu/", _dir.Path + "/", StringComparison.Ordinal);
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^device\s*=.*$", $"device = {Path.Combine(_dir.Path, "phone")}\nmodel = dummy");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^connection\s*=.*$", "connection = none");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^logfile\s*=.*$", $"logfile = {Path.Combine(_dir.Path, "smsd.log")}");
        text = System.Text.RegularExpressions.Regex.Replace(text, @"(?m)^debuglevel\s*=.*$", "debuglevel = 1");
        File.WriteAllText(Config, text);
    }

    public GammuSmsdServer()
    {
        foreach (string d in new[] { "phone/sms/1", "phone/sms/2", "phone/sms/3", "phone/sms/4", "phone/sms/5", "inbox", "outbox", "sent", "error" })
        {
            Directory.CreateDirectory(Path.Combine(_dir.Path, d));
        }

        Config = Path.Combine(_dir.Path, "smsdrc");
        File.WriteAllText(Config, $"""
            [gammu]
            device = {Path.Combine(_dir.Path, "phone")}
            model = dummy
            connection = none

            [smsd]
            service = files
            inboxpath = {Path.Combine(_dir.Path, "inbox")}/
            outboxpath = {Path.Combine(_dir.Path, "outbox")}/
            sentsmspath = {Path.Combine(_dir.Path, "sent")}/
            errorsmspath = {Path.Combine(_dir.Path, "error")}/
            inboxformat = detail
            outboxformat = detail
            transmitformat = auto
            logfile = {Path.Combine(_dir.Path, "smsd.log")}
            debuglevel = 1
            commtimeout = 1
            sendtimeout = 5
            receivefrequency = 1
            statusfrequency = 0
            loopsleep = 1
            """);
    }

    /// <summary>Why the SMS tests are skipped here, or null.</summary>
    public static string? Missing => File.Exists(Daemon) && File.Exists("/usr/bin/gammu-smsd-inject") ? null
        : "gammu-smsd is not installed on this machine (apt-get install gammu-smsd; bash .ci/run does it as root): the SMS tests are skipped";

    public string Config { get; }

    public string SentPath => Path.Combine(_dir.Path, "sent");

    public string OutboxPath => Path.Combine(_dir.Path, "outbox");

    public string Log => File.Exists(Path.Combine(_dir.Path, "smsd.log")) ? File.ReadAllText(Path.Combine(_dir.Path, "smsd.log")) : string.Empty;

    public bool IsRunning => _process is { HasExited: false };

    public async Task StartAsync()
    {
        var psi = new ProcessStartInfo(Daemon, ["-c", Config]) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        _process = Process.Start(psi)!;
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) { lock (_output) { _output.Add(e.Data); } } };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) { lock (_output) { _output.Add(e.Data); } } };
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        DateTime until = DateTime.UtcNow.AddSeconds(20);
        while (!Log.Contains("Starting phone communication", StringComparison.Ordinal))
        {
            if (_process.HasExited || DateTime.UtcNow > until)
            {
                throw new InvalidOperationException($"gammu-smsd did not start:\n{Log}\n{string.Join('\n', _output)}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Stops the daemon (SIGTERM), as a modem unplugged or the service stopped.</summary>
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

    /// <summary>
    /// Returns when the daemon's log has grown (it writes a line for each look at the outbox, each text found and each
    /// sent), or after a second if the file watcher missed it — the signal to look at the gateway's side again.
    /// </summary>
    public async Task WaitForLogAsync(CancellationToken ct)
    {
        string log = Path.Combine(_dir.Path, "smsd.log");
        long before = File.Exists(log) ? new FileInfo(log).Length : 0;
        var grown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new FileSystemWatcher(_dir.Path, "smsd.log") { NotifyFilter = NotifyFilters.Size | NotifyFilters.LastWrite, EnableRaisingEvents = true };
        watcher.Changed += (_, _) => grown.TrySetResult();
        if ((File.Exists(log) ? new FileInfo(log).Length : 0) != before)
        {
            return;
        }

        try
        {
            await grown.Task.WaitAsync(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            // The watcher can miss a write (inotify coalesces): the caller looks again, and waits for the next one.
        }
    }

    /// <summary>A text arrives at the phone from <paramref name="number"/> (the dummy phone's inbox folder).</summary>
    public void Deliver(string number, string text)
    {
        int n = Interlocked.Increment(ref _delivered);
        string file = Path.Combine(_dir.Path, "phone", "sms", "1", n.ToString(System.Globalization.CultureInfo.InvariantCulture));
        File.WriteAllText(file, $"""
            [SMSBackup000]
            Number = "{number}"
            State = UnRead
            Coding = {(text.All(c => c < 128) ? "Default" : "Unicode")}
            Folder = 1
            Sent = {DateTime.UtcNow:yyyyMMdd'T'HHmmss}
            Text00 = {Convert.ToHexString(Encoding.BigEndianUnicode.GetBytes(text))}

            """);
    }

    /// <summary>
    /// Texts the daemon transmitted, from its log ("Found N sms to … with text …", then "Transmitted …"). Not from its
    /// sent folder: gammu-smsd names outbox files by second and number, and a later text to the same number in the
    /// same second replaces the earlier one's file in sent/ — both were transmitted.
    /// </summary>
    public IReadOnlyList<(string Number, string Text, int Parts)> Sent()
    {
        var sent = new List<(string, string, int)>();
        (string Number, string Text, int Parts)? found = null;
        foreach (string line in Log.Split('\n'))
        {
            System.Text.RegularExpressions.Match m = System.Text.RegularExpressions.Regex.Match(line, "Found (\\d+) sms to \"([^\"]+)\" with text \"(.*)\" cod ");
            if (m.Success)
            {
                found = (m.Groups[2].Value, m.Groups[3].Value, int.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture));
            }
            else if (line.Contains(": Transmitted OUT", StringComparison.Ordinal) && found is { } f)
            {
                sent.Add(f);
                found = null;
            }
        }

        return sent;
    }

    public IReadOnlyList<(string Number, string Text, int Parts)> Waiting() => Read(OutboxPath);

    private static List<(string Number, string Text, int Parts)> Read(string folder)
    {
        var list = new List<(string, string, int)>();
        foreach (string file in Directory.GetFiles(folder, "OUT*").Order(StringComparer.Ordinal))
        {
            string number = Path.GetFileName(file).Split('_').First(p => p.StartsWith('+'));
            var text = new StringBuilder();
            int parts = 0;
            foreach (string line in File.ReadAllLines(file))
            {
                if (line.StartsWith("[SMSBackup000]", StringComparison.Ordinal) && parts > 0)
                {
                    break; // gammu-smsd saves the message again with its message references after sending it
                }

                if (line.StartsWith("[SMSBackup", StringComparison.Ordinal))
                {
                    parts++;
                }
                else if (line.StartsWith("Text", StringComparison.Ordinal) && line.Contains('=', StringComparison.Ordinal))
                {
                    text.Append(Encoding.BigEndianUnicode.GetString(Convert.FromHexString(line[(line.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim())));
                }
            }

            list.Add((number, text.ToString(), parts));
        }

        return list;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _dir.Dispose();
    }
}
