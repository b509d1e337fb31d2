using System;

namespace EdgeSensors.Node.Protocol;

/// <summary>
/// Minimal JSON writer with invariant, explicit number formats. Hand-written because nanoFramework's mscorlib
/// has neither StringBuilder nor a JSON library, and because number formatting must be identical on the ESP32
/// (where 3.3.ToString() prints 3.2999999999999998) and on desktop (where the current culture may use commas).
/// </summary>
public sealed class JsonWriter
{
    private const int MaxDepth = 32;
    private readonly bool[] _hasItem = new bool[MaxDepth];
    private char[] _buffer;
    private int _length;
    private int _depth;
    private bool _afterName;

    /// <summary>Creates a writer with an initial capacity in characters.</summary>
    public JsonWriter(int capacity = 256)
    {
        _buffer = new char[capacity < 16 ? 16 : capacity];
    }

    /// <summary>Characters written so far.</summary>
    public int Length => _length;

    /// <summary>The JSON text written so far.</summary>
    public override string ToString() => new string(_buffer, 0, _length);

    /// <summary>Starts an object.</summary>
    public JsonWriter BeginObject() => Open('{');

    /// <summary>Ends an object.</summary>
    public JsonWriter EndObject() => Close('}');

    /// <summary>Starts an array.</summary>
    public JsonWriter BeginArray() => Open('[');

    /// <summary>Ends an array.</summary>
    public JsonWriter EndArray() => Close(']');

    /// <summary>Writes a property name; the next value belongs to it.</summary>
    public JsonWriter Name(string name)
    {
        Separator();
        WriteQuoted(name);
        Append(':');
        _afterName = true;
        return this;
    }

    /// <summary>Writes a string value.</summary>
    public JsonWriter String(string value)
    {
        Separator();
        WriteQuoted(value);
        return this;
    }

    /// <summary>Writes a boolean.</summary>
    public JsonWriter Bool(bool value)
    {
        Separator();
        AppendText(value ? "true" : "false");
        return this;
    }

    /// <summary>Writes a null.</summary>
    public JsonWriter Null()
    {
        Separator();
        AppendText("null");
        return this;
    }

    /// <summary>Writes an integer.</summary>
    public JsonWriter Long(long value)
    {
        Separator();
        AppendLong(value);
        return this;
    }

    /// <summary>
    /// Writes a number with a fixed count of decimals, rounded half away from zero ("2.40", never "2,4" or
    /// "2.3999999"). Non-finite values are a programming error: absent fields are left out, not written.
    /// </summary>
    public JsonWriter Fixed(double value, int decimals)
    {
        if (double.IsNaN(value) || double.IsInfinity(value))
        {
            throw new ArgumentException("JSON has no NaN or infinity; leave the field out instead.", nameof(value));
        }

        Separator();
        AppendFixed(value, decimals);
        return this;
    }

    /// <summary>Writes raw, already valid JSON (a fragment produced by another writer).</summary>
    public JsonWriter Raw(string json)
    {
        Separator();
        AppendText(json);
        return this;
    }

    /// <summary>Formats a number the way <see cref="Fixed"/> writes it.</summary>
    public static string FormatFixed(double value, int decimals)
    {
        var w = new JsonWriter(32);
        w.AppendFixed(value, decimals);
        return w.ToString();
    }

    private JsonWriter Open(char c)
    {
        Separator();
        Append(c);
        if (_depth >= MaxDepth - 1)
        {
            throw new InvalidOperationException("JSON nested too deeply.");
        }

        _depth++;
        _hasItem[_depth] = false;
        return this;
    }

    private JsonWriter Close(char c)
    {
        if (_depth == 0)
        {
            throw new InvalidOperationException("Nothing to close.");
        }

        _depth--;
        Append(c);
        return this;
    }

    private void Separator()
    {
        if (_afterName)
        {
            _afterName = false;
            return;
        }

        if (_depth > 0)
        {
            if (_hasItem[_depth])
            {
                Append(',');
            }

            _hasItem[_depth] = true;
        }
    }

    private void AppendFixed(double value, int decimals)
    {
        if (decimals < 0 || decimals > 9)
        {
            throw new ArgumentOutOfRangeException(nameof(decimals));
        }

        long scale = 1;
        for (int i = 0; i < decimals; i++)
        {
            scale *= 10;
        }

        bool negative = value < 0;
        double magnitude = negative ? -value : value;
        if (magnitude * scale >= 9.0e15)
        {
            throw new ArgumentOutOfRangeException(nameof(value), "Number too large for fixed-point encoding.");
        }

        long scaled = (long)((magnitude * scale) + 0.5);
        if (negative && scaled != 0)
        {
            Append('-');
        }

        AppendLong(scaled / scale);
        if (decimals > 0)
        {
            Append('.');
            long fraction = scaled % scale;
            for (long div = scale / 10; div >= 1; div /= 10)
            {
                Append((char)('0' + (int)(fraction / div % 10)));
            }
        }
    }

    private void AppendLong(long value)
    {
        if (value == long.MinValue)
        {
            AppendText("-9223372036854775808");
            return;
        }

        if (value < 0)
        {
            Append('-');
            value = -value;
        }

        char[] digits = new char[20];
        int n = 0;
        do
        {
            digits[n++] = (char)('0' + (int)(value % 10));
            value /= 10;
        }
        while (value > 0);

        while (n > 0)
        {
            Append(digits[--n]);
        }
    }

    private void WriteQuoted(string s)
    {
        Append('"');
        for (int i = 0; i < s.Length; i++)
        {
            char c = s[i];
            switch (c)
            {
                case '"': AppendText("\\\""); break;
                case '\\': AppendText("\\\\"); break;
                case '\n': AppendText("\\n"); break;
                case '\r': AppendText("\\r"); break;
                case '\t': AppendText("\\t"); break;
                default:
                    if (c < 0x20)
                    {
                        AppendText("\\u00");
                        Append(HexDigit(c >> 4));
                        Append(HexDigit(c & 0xF));
                    }
                    else
                    {
                        Append(c);
                    }

                    break;
            }
        }

        Append('"');
    }

    private static char HexDigit(int v) => (char)(v < 10 ? '0' + v : 'a' + v - 10);

    private void AppendText(string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            Append(s[i]);
        }
    }

    private void Append(char c)
    {
        if (_length == _buffer.Length)
        {
            char[] grown = new char[_buffer.Length * 2];
            Array.Copy(_buffer, grown, _length);
            _buffer = grown;
        }

        _buffer[_length++] = c;
    }
}
