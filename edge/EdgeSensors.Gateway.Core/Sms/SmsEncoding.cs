using System.Text;

namespace EdgeSensors.Gateway.Sms;

/// <summary>How texts are written: unaccented Vietnamese in GSM 7-bit, or full diacritics in UCS-2.</summary>
public enum SmsAlphabet
{
    /// <summary>GSM 03.38 default alphabet: 160 characters in one segment, 153 per segment of a longer text.</summary>
    Gsm7,

    /// <summary>UCS-2: 70 characters in one segment, 67 per segment of a longer text.</summary>
    Ucs2,
}

/// <summary>
/// Segment counting (3GPP TS 23.038 alphabet, TS 23.040 concatenation: a 6-byte header per segment) and the removal
/// of Vietnamese diacritics. Written here because no library on the feed does either; the modem side (PDUs,
/// concatenation headers) is gammu's.
/// </summary>
public static class SmsEncoding
{
    // The GSM 03.38 default alphabet, and the extension table whose characters take two septets.
    private const string Basic = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";
    private const string Extension = "^{}\\[~]|€\f";

    /// <summary>True when every character is in the GSM 7-bit alphabet (with its extension table).</summary>
    public static bool IsGsm7(string text) => text.All(c => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal));

    /// <summary>Septets (GSM 7-bit) or UTF-16 code units (UCS-2) the text takes.</summary>
    public static int Units(string text, SmsAlphabet alphabet) =>
        alphabet == SmsAlphabet.Gsm7 ? text.Sum(c => Extension.Contains(c, StringComparison.Ordinal) ? 2 : 1) : text.Length;

    /// <summary>Segments the text needs in that alphabet.</summary>
    public static int Segments(string text, SmsAlphabet alphabet)
    {
        int units = Units(text, alphabet);
        (int single, int multi) = alphabet == SmsAlphabet.Gsm7 ? (160, 153) : (70, 67);
        return units <= single ? 1 : (units + multi - 1) / multi;
    }

    /// <summary>
    /// Vietnamese without diacritics, as farmers write texts on basic phones: tone marks and vowel marks removed,
    /// đ → d; ‰ → " g/l" (1 ‰ of salt is about a gram a litre, the unit Mekong farmers and
    /// the press use); any other character outside GSM 7-bit replaced.
    /// </summary>
    public static string Unaccent(string text)
    {
        // A table, not Unicode decomposition: the gateway runs with invariant globalization (no ICU), where
        // string.Normalize does not decompose. These are the 134 precomposed Vietnamese letters; combining marks
        // (U+0300–U+036F, from phones that send decomposed text) are dropped.
        var sb = new StringBuilder(text.Length + 8);
        foreach (char c in text)
        {
            int v = VietnameseAccented.IndexOf(c, StringComparison.Ordinal);
            if (v >= 0)
            {
                sb.Append(VietnameseBase[v]);
            }
            else if (c is >= '\u0300' and <= '\u036F')
            {
                continue;
            }
            else
            {
                sb.Append(c switch
                {
                    '‰' => " g/l",
                    '–' or '—' => "-",
                    '“' or '”' => "\"",
                    '‘' or '’' => "'",
                    '…' => "...",
                    _ => Basic.Contains(c, StringComparison.Ordinal) || Extension.Contains(c, StringComparison.Ordinal) ? c.ToString() : "?",
                });
            }
        }

        return sb.ToString();
    }

    private const string VietnameseAccented = "àÀáÁảẢãÃạẠăĂằẰắẮẳẲẵẴặẶâÂầẦấẤẩẨẫẪậẬèÈéÉẻẺẽẼẹẸêÊềỀếẾểỂễỄệỆìÌíÍỉỈĩĨịỊòÒóÓỏỎõÕọỌôÔồỒốỐổỔỗỖộỘơƠờỜớỚởỞỡỠợỢùÙúÚủỦũŨụỤưƯừỪứỨửỬữỮựỰỳỲýÝỷỶỹỸỵỴđĐ";
    private const string VietnameseBase = "aAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAaAeEeEeEeEeEeEeEeEeEeEeEiIiIiIiIiIoOoOoOoOoOoOoOoOoOoOoOoOoOoOoOoOoOuUuUuUuUuUuUuUuUuUuUuUyYyYyYyYyYdD";

    /// <summary>Folds case and accents, for matching what farmers type ("Đăng ký" = "dang ky" = "DANG KY").</summary>
    public static string Fold(string text) => Unaccent(text).ToUpperInvariant();
}
