namespace EdgeSensors.Node.Protocol;

/// <summary>
/// UTF-8 encoding and strict decoding. Hand-written: System.Text.Encoding is not in nanoFramework's mscorlib.
/// Decoding rejects malformed sequences (returns null) instead of substituting U+FFFD, so garbage stays garbage.
/// </summary>
public static class Utf8
{
    /// <summary>Encodes a string (lone surrogates become '?').</summary>
    public static byte[] Encode(string s)
    {
        int n = 0;
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            bool lone = c >= 0xD800 && c <= 0xDFFF && !IsPair(s, i);
            n += c < 0x80 || lone ? 1 : c < 0x800 ? 2 : IsPair(s, i) ? 4 : 3;
            if (IsPair(s, i))
            {
                i++;
            }
        }

        byte[] b = new byte[n];
        int j = 0;
        for (int i = 0; i < s.Length; i++)
        {
            int c = s[i];
            if (c < 0x80)
            {
                b[j++] = (byte)c;
            }
            else if (c < 0x800)
            {
                b[j++] = (byte)(0xC0 | (c >> 6));
                b[j++] = (byte)(0x80 | (c & 0x3F));
            }
            else if (IsPair(s, i))
            {
                int cp = 0x10000 + ((c - 0xD800) << 10) + (s[i + 1] - 0xDC00);
                i++;
                b[j++] = (byte)(0xF0 | (cp >> 18));
                b[j++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                b[j++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                b[j++] = (byte)(0x80 | (cp & 0x3F));
            }
            else
            {
                if (c >= 0xD800 && c <= 0xDFFF)
                {
                    b[j++] = (byte)'?';
                    continue;
                }

                b[j++] = (byte)(0xE0 | (c >> 12));
                b[j++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                b[j++] = (byte)(0x80 | (c & 0x3F));
            }
        }

        return b;
    }

    /// <summary>Decodes bytes, or returns null when they are not well-formed UTF-8 (overlongs, surrogates and truncation included).</summary>
    public static string? Decode(byte[] b, int offset, int count)
    {
        char[] chars = new char[count];
        int n = 0;
        int i = offset;
        int end = offset + count;
        while (i < end)
        {
            int c = b[i];
            if (c < 0x80)
            {
                chars[n++] = (char)c;
                i++;
                continue;
            }

            int need;
            int cp;
            int min;
            if ((c & 0xE0) == 0xC0)
            {
                need = 1;
                cp = c & 0x1F;
                min = 0x80;
            }
            else if ((c & 0xF0) == 0xE0)
            {
                need = 2;
                cp = c & 0x0F;
                min = 0x800;
            }
            else if ((c & 0xF8) == 0xF0)
            {
                need = 3;
                cp = c & 0x07;
                min = 0x10000;
            }
            else
            {
                return null;
            }

            if (i + need >= end)
            {
                return null;
            }

            for (int k = 1; k <= need; k++)
            {
                int cc = b[i + k];
                if ((cc & 0xC0) != 0x80)
                {
                    return null;
                }

                cp = (cp << 6) | (cc & 0x3F);
            }

            if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            {
                return null;
            }

            if (cp >= 0x10000)
            {
                cp -= 0x10000;
                chars[n++] = (char)(0xD800 + (cp >> 10));
                chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
            }
            else
            {
                chars[n++] = (char)cp;
            }

            i += need + 1;
        }

        return new string(chars, 0, n);
    }

    private static bool IsPair(string s, int i) =>
        s[i] >= 0xD800 && s[i] <= 0xDBFF && i + 1 < s.Length && s[i + 1] >= 0xDC00 && s[i + 1] <= 0xDFFF;
}
