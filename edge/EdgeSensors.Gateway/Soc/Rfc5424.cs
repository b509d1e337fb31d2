using System.Globalization;
using System.Text;

namespace EdgeSensors.Gateway.Soc;

/// <summary>
/// Formats one RFC 5424 syslog message. Written here because no syslog client library is served to this project
/// and the format is a single line of fixed grammar; the tests check it against rsyslog's own RFC 5424 parser
/// (mmpstrucdata), not against this code.
/// </summary>
public static class Rfc5424
{
    public const int FacilityAuth = 4;
    public const int FacilityLogAudit = 13;

    /// <summary>
    /// &lt;PRI&gt;1 TIMESTAMP HOSTNAME APP-NAME PROCID MSGID [SD-ID name="value" …][meta sequenceId="n"] MSG.
    /// Header fields keep printable US-ASCII only ("-" when empty); SD values escape '"', '\' and ']';
    /// a MSG with anything beyond ASCII starts with the UTF-8 BOM as §6.4 asks.
    /// </summary>
    public static string Format(int facility, int severity, DateTimeOffset at, string? host, string app, string? procId, string msgId,
        string sdId, IEnumerable<KeyValuePair<string, string?>> parameters, long sequenceId, string message)
    {
        var b = new StringBuilder(256);
        b.Append('<').Append(((facility * 8) + severity).ToString(CultureInfo.InvariantCulture)).Append(">1 ");
        b.Append(at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture)).Append(' ');
        b.Append(Header(host, 255)).Append(' ').Append(Header(app, 48)).Append(' ').Append(Header(procId, 128)).Append(' ').Append(Header(msgId, 32)).Append(' ');
        b.Append('[').Append(Name(sdId));
        foreach (KeyValuePair<string, string?> p in parameters)
        {
            if (p.Value != null)
            {
                b.Append(' ').Append(Name(p.Key)).Append("=\"");
                Escape(b, p.Value);
                b.Append('"');
            }
        }

        b.Append("][meta sequenceId=\"").Append(sequenceId.ToString(CultureInfo.InvariantCulture)).Append("\"]");
        if (message.Length > 0)
        {
            b.Append(' ');
            if (!Ascii.IsValid(message))
            {
                b.Append('\uFEFF');
            }

            // One event, one line: a newline would split it for receivers that frame by line.
            b.Append(message.Replace('\n', ' ').Replace('\r', ' '));
        }

        return b.ToString();
    }

    private static string Header(string? value, int max)
    {
        if (string.IsNullOrEmpty(value))
        {
            return "-";
        }

        var b = new StringBuilder(Math.Min(value.Length, max));
        foreach (char c in value)
        {
            if (b.Length == max)
            {
                break;
            }

            b.Append(c is >= '!' and <= '~' ? c : '_');
        }

        return b.ToString();
    }

    // SD-NAME: 1–32 printable US-ASCII except '=', ' ', ']' and '"'.
    private static string Name(string name)
    {
        string h = Header(name, 32);
        return h.Replace('=', '_').Replace(']', '_').Replace('"', '_');
    }

    private static void Escape(StringBuilder b, string value)
    {
        foreach (char c in value)
        {
            if (c is '"' or '\\' or ']')
            {
                b.Append('\\');
            }

            b.Append(c is '\n' or '\r' ? ' ' : c);
        }
    }
}
