using System.Diagnostics;
using System.Text;

namespace EdgeSensors.Gateway.Sms.Gammu;

/// <summary>A text gammu-smsd received (its FILES backend's inbox, "detail" format).</summary>
public sealed record ReceivedText(string File, string Number, string Text);

/// <summary>
/// gammu-smsd through its documented interfaces only: texts are queued with gammu-smsd-inject (which writes the
/// outbox file the daemon sends from, and splits long texts into concatenated parts), and the FILES backend's folders
/// tell what became of them (sent/, error/) and what arrived (inbox/, in gammu's SMS backup format). Nothing of the
/// modem's AT protocol is here: that is gammu's.
/// </summary>
public sealed class GammuSmsd
{
    private readonly string _config;
    private readonly string _inject;

    public GammuSmsd(string configPath, string injectCommand)
    {
        _config = configPath;
        _inject = injectCommand;
        var smsd = ReadSection(configPath, "smsd");
        InboxPath = Folder(smsd, "inboxpath");
        OutboxPath = Folder(smsd, "outboxpath");
        SentPath = Folder(smsd, "sentsmspath");
        ErrorPath = Folder(smsd, "errorsmspath");
        if (smsd.TryGetValue("service", out string? service) && !service.Equals("files", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{configPath}: [smsd] service = {service}; the gateway reads gammu-smsd's FILES backend (service = files)");
        }

        if (smsd.TryGetValue("inboxformat", out string? format) && !format.Equals("detail", StringComparison.OrdinalIgnoreCase))
        {
            throw new InvalidOperationException($"{configPath}: [smsd] inboxformat = {format}; the gateway reads inboxformat = detail");
        }
    }

    public string InboxPath { get; }

    public string OutboxPath { get; }

    public string SentPath { get; }

    public string ErrorPath { get; }

    private static string Folder(Dictionary<string, string> smsd, string key) =>
        smsd.TryGetValue(key, out string? v) && v.Length > 0 ? v : throw new InvalidOperationException($"gammu-smsd configuration has no [smsd] {key}");

    /// <summary>The keys of one INI section (gammu's config syntax: case-insensitive keys, '#' and ';' comments).</summary>
    public static Dictionary<string, string> ReadSection(string path, string section)
    {
        var keys = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        bool inside = false;
        foreach (string raw in File.ReadAllLines(path))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }

            if (line[0] == '[')
            {
                inside = line.Trim('[', ']').Trim().Equals(section, StringComparison.OrdinalIgnoreCase);
                continue;
            }

            int eq = line.IndexOf('=', StringComparison.Ordinal);
            if (inside && eq > 0)
            {
                keys[line[..eq].Trim()] = line[(eq + 1)..].Trim();
            }
        }

        return keys;
    }

    /// <summary>Queues a text; returns the outbox file's name (gammu-smsd keeps it when it moves the file to sent/ or error/).</summary>
    public async Task<string> InjectAsync(string number, string text, bool unicode, CancellationToken ct)
    {
        var psi = new ProcessStartInfo(_inject) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in new[] { "-c", _config, "TEXT", number })
        {
            psi.ArgumentList.Add(a);
        }

        if (unicode)
        {
            psi.ArgumentList.Add("-unicode");
        }

        // -autolen: split into concatenated parts as needed (gammu builds the parts and their headers).
        psi.ArgumentList.Add("-autolen");
        psi.ArgumentList.Add(text.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        psi.ArgumentList.Add("-text");
        psi.ArgumentList.Add(text);
        using Process p = Process.Start(psi) ?? throw new InvalidOperationException($"{_inject} did not start");
        Task<string> stdout = p.StandardOutput.ReadToEndAsync(ct);
        Task<string> stderr = p.StandardError.ReadToEndAsync(ct);
        await p.WaitForExitAsync(ct).ConfigureAwait(false);
        string output = await stdout.ConfigureAwait(false) + await stderr.ConfigureAwait(false);
        const string marker = "Written message with ID ";
        int at = output.IndexOf(marker, StringComparison.Ordinal);
        if (p.ExitCode != 0 || at < 0)
        {
            // The inject tool echoes the number and the text: keep only its last line, which says why.
            string why = output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).LastOrDefault() ?? $"exit {p.ExitCode}";
            throw new IOException($"{_inject} failed: {why.Replace(number, PhoneNumbers.Mask(number), StringComparison.Ordinal)}");
        }

        return Path.GetFileName(output[(at + marker.Length)..].Split('\n')[0].Trim());
    }

    /// <summary>Where a queued file is now: "outbox", "sent", "error", or null (gone: not ours to know).</summary>
    /// <remarks>
    /// The outbox is looked at first: gammu-smsd names a file by the second and the number (sms0, sms1… only while one
    /// is still in the outbox), so a second text to the same number in the same second can take the name of one
    /// already moved to sent/ — it is not sent until it leaves the outbox.
    /// </remarks>
    public string? Where(string file) =>
        File.Exists(Path.Combine(OutboxPath, file)) ? SmsStates.Handed
        : File.Exists(Path.Combine(SentPath, file)) ? SmsStates.Sent
        : File.Exists(Path.Combine(ErrorPath, file)) ? SmsStates.Failed
        : null;

    /// <summary>Texts waiting in the inbox, oldest first. Multi-part texts come as parts in one file per part; each is read alone.</summary>
    public IReadOnlyList<ReceivedText> Received()
    {
        if (!Directory.Exists(InboxPath))
        {
            return [];
        }

        var list = new List<ReceivedText>();
        foreach (string file in Directory.GetFiles(InboxPath, "IN*").Order(StringComparer.Ordinal))
        {
            var fields = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            var text = new StringBuilder();
            foreach (string raw in File.ReadAllLines(file))
            {
                int eq = raw.IndexOf('=', StringComparison.Ordinal);
                if (eq <= 0 || raw.StartsWith(';'))
                {
                    continue;
                }

                string key = raw[..eq].Trim();
                string value = raw[(eq + 1)..].Trim();
                if (key.StartsWith("Text", StringComparison.Ordinal) && key.Length == 6 && char.IsAsciiDigit(key[4]))
                {
                    // Gammu's backup format: the text as hex of UTF-16 big-endian, in numbered lines.
                    try
                    {
                        text.Append(Encoding.BigEndianUnicode.GetString(Convert.FromHexString(value)));
                    }
                    catch (FormatException)
                    {
                        // A damaged line: the rest of the text is still read.
                    }
                }
                else
                {
                    fields[key] = value.Trim('"');
                }
            }

            list.Add(new ReceivedText(file, fields.GetValueOrDefault("Number") ?? string.Empty, text.ToString()));
        }

        return list;
    }

    /// <summary>A handled inbox file moves to inbox/../handled/ (kept, not re-read).</summary>
    public static void MarkHandled(ReceivedText received)
    {
        string dir = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(received.File).TrimEnd('/'))!, "..", "handled");
        Directory.CreateDirectory(dir);
        File.Move(received.File, Path.Combine(dir, Path.GetFileName(received.File)), overwrite: true);
    }

    /// <summary>Files waiting in the outbox (the daemon not sending: stopped, no signal, no credit).</summary>
    public int OutboxCount() => Directory.Exists(OutboxPath) ? Directory.GetFiles(OutboxPath, "OUT*").Length : 0;
}
