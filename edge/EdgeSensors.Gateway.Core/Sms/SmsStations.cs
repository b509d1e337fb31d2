using System.Text;
using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Sms;

/// <summary>
/// Which station a farmer's text names (issue 30): its code from the plate, or the name of its place as the registry
/// has it ("Vị Tân", "DK Vi Tan LUA") — without case or accents, whole words. More than one place with that name: the
/// farmer is answered with the choices.
/// </summary>
public static class SmsStations
{
    /// <summary>A word shaped like a node code (letters, digits, '-', with a digit): hg-vithanh-001, vt01.</summary>
    public static bool LooksLikeCode(string word) =>
        word.Length is > 0 and <= 32 && word.Any(char.IsAsciiDigit) && word.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    /// <summary>The station, or the choices when the name fits several (empty when it fits none).</summary>
    public static (NodeRecord? Node, IReadOnlyList<NodeRecord> Choices) Resolve(string text, IReadOnlyList<NodeRecord> nodes)
    {
        string t = text.Trim();
        NodeRecord? byCode = nodes.FirstOrDefault(n => string.Equals(n.Id, t, StringComparison.OrdinalIgnoreCase));
        if (byCode != null)
        {
            return (byCode, []);
        }

        string wanted = Words(t);
        if (wanted.Length == 0)
        {
            return (null, []);
        }

        var placed = nodes.Where(n => !string.IsNullOrWhiteSpace(n.Place)).Select(n => (Node: n, Place: Words(n.Place!))).ToList();
        List<NodeRecord> exact = placed.Where(p => p.Place == wanted).Select(p => p.Node).ToList();
        List<NodeRecord> found = exact.Count > 0 ? exact : placed.Where(p => $" {p.Place} ".Contains($" {wanted} ", StringComparison.Ordinal)).Select(p => p.Node).ToList();
        return found.Count == 1 ? (found[0], []) : (null, found.OrderBy(n => n.Id, StringComparer.Ordinal).ToList());
    }

    /// <summary>Upper case, no accents, words of letters and digits separated by one space.</summary>
    private static string Words(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (char c in SmsEncoding.Fold(s))
        {
            if (char.IsLetterOrDigit(c))
            {
                sb.Append(c);
            }
            else if (sb.Length > 0 && sb[^1] != ' ')
            {
                sb.Append(' ');
            }
        }

        return sb.ToString().Trim();
    }
}
