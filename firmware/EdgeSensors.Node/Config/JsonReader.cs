using EdgeSensors.Node.Numerics;
using EdgeSensors.Node.Protocol;

namespace EdgeSensors.Node.Config;

/// <summary>
/// Strict JSON parser (RFC 8259) for config documents. Hand-written because nanoFramework.Json is not part of
/// mscorlib and is lenient where config must be strict: duplicate keys, trailing commas, comments, NaN and
/// nesting deeper than 16 are all refused with the position of the problem.
/// </summary>
public static class JsonReader
{
    private const int MaxDepth = 16;

    /// <summary>Parses UTF-8 JSON; returns null with a reason when it is not valid.</summary>
    public static JsonValue? Parse(byte[] utf8, int maxBytes, out string error)
    {
        error = string.Empty;
        if (utf8.Length > maxBytes)
        {
            error = "document is " + utf8.Length.ToString() + " bytes, over the " + maxBytes.ToString() + "-byte limit";
            return null;
        }

        string? text = Utf8.Decode(utf8, 0, utf8.Length);
        if (text == null)
        {
            error = "document is not valid UTF-8";
            return null;
        }

        return Parse(text, out error);
    }

    /// <summary>Parses JSON text; returns null with a reason when it is not valid.</summary>
    public static JsonValue? Parse(string text, out string error)
    {
        var cursor = new Cursor(text);
        JsonValue? value = cursor.ParseValue(0);
        if (value != null)
        {
            cursor.SkipWhitespace();
            if (cursor.Position < text.Length)
            {
                cursor.Fail("unexpected text after the document");
                value = null;
            }
        }

        error = cursor.Error;
        return value;
    }

    private sealed class Cursor
    {
        private readonly string _s;

        public Cursor(string s)
        {
            _s = s;
        }

        public int Position { get; private set; }

        public string Error { get; private set; } = string.Empty;

        public void Fail(string message)
        {
            if (Error.Length == 0)
            {
                Error = message + " at character " + Position.ToString();
            }
        }

        public void SkipWhitespace()
        {
            while (Position < _s.Length && (_s[Position] == ' ' || _s[Position] == '\t' || _s[Position] == '\n' || _s[Position] == '\r'))
            {
                Position++;
            }
        }

        public JsonValue? ParseValue(int depth)
        {
            if (depth > MaxDepth)
            {
                Fail("nesting deeper than " + MaxDepth.ToString());
                return null;
            }

            SkipWhitespace();
            if (Position >= _s.Length)
            {
                Fail("unexpected end of document");
                return null;
            }

            char c = _s[Position];
            switch (c)
            {
                case '{': return ParseObject(depth);
                case '[': return ParseArray(depth);
                case '"':
                    string? str = ParseString();
                    return str == null ? null : new JsonValue(JsonKind.String) { Text = str };
                case 't': return Literal("true", new JsonValue(JsonKind.Boolean) { Boolean = true });
                case 'f': return Literal("false", new JsonValue(JsonKind.Boolean) { Boolean = false });
                case 'n': return Literal("null", new JsonValue(JsonKind.Null));
                default:
                    if (c == '-' || (c >= '0' && c <= '9'))
                    {
                        return ParseNumber();
                    }

                    Fail("unexpected character '" + c.ToString() + "'");
                    return null;
            }
        }

        private JsonValue? Literal(string word, JsonValue value)
        {
            if (Position + word.Length <= _s.Length && _s.Substring(Position, word.Length) == word)
            {
                Position += word.Length;
                return value;
            }

            Fail("invalid literal");
            return null;
        }

        private JsonValue? ParseObject(int depth)
        {
            var obj = new JsonValue(JsonKind.Object);
            Position++;
            SkipWhitespace();
            if (Position < _s.Length && _s[Position] == '}')
            {
                Position++;
                return obj;
            }

            while (true)
            {
                SkipWhitespace();
                if (Position >= _s.Length || _s[Position] != '"')
                {
                    Fail("expected a member name in quotes");
                    return null;
                }

                string? name = ParseString();
                if (name == null)
                {
                    return null;
                }

                if (obj.HasName(name))
                {
                    Fail("duplicate key \"" + name + "\"");
                    return null;
                }

                SkipWhitespace();
                if (Position >= _s.Length || _s[Position] != ':')
                {
                    Fail("expected ':'");
                    return null;
                }

                Position++;
                JsonValue? value = ParseValue(depth + 1);
                if (value == null)
                {
                    return null;
                }

                obj.AddMember(name, value);
                SkipWhitespace();
                if (Position < _s.Length && _s[Position] == ',')
                {
                    Position++;
                    continue;
                }

                if (Position < _s.Length && _s[Position] == '}')
                {
                    Position++;
                    return obj;
                }

                Fail("expected ',' or '}'");
                return null;
            }
        }

        private JsonValue? ParseArray(int depth)
        {
            var arr = new JsonValue(JsonKind.Array);
            Position++;
            SkipWhitespace();
            if (Position < _s.Length && _s[Position] == ']')
            {
                Position++;
                return arr;
            }

            while (true)
            {
                JsonValue? value = ParseValue(depth + 1);
                if (value == null)
                {
                    return null;
                }

                arr.AddItem(value);
                SkipWhitespace();
                if (Position < _s.Length && _s[Position] == ',')
                {
                    Position++;
                    continue;
                }

                if (Position < _s.Length && _s[Position] == ']')
                {
                    Position++;
                    return arr;
                }

                Fail("expected ',' or ']'");
                return null;
            }
        }

        private string? ParseString()
        {
            Position++; // opening quote
            char[] buffer = new char[16];
            int n = 0;
            while (true)
            {
                if (Position >= _s.Length)
                {
                    Fail("unterminated string");
                    return null;
                }

                char c = _s[Position++];
                if (c == '"')
                {
                    return new string(buffer, 0, n);
                }

                if (c < 0x20)
                {
                    Fail("control character in string");
                    return null;
                }

                if (c == '\\')
                {
                    if (Position >= _s.Length)
                    {
                        Fail("unterminated escape");
                        return null;
                    }

                    char e = _s[Position++];
                    switch (e)
                    {
                        case '"': c = '"'; break;
                        case '\\': c = '\\'; break;
                        case '/': c = '/'; break;
                        case 'b': c = '\b'; break;
                        case 'f': c = '\f'; break;
                        case 'n': c = '\n'; break;
                        case 'r': c = '\r'; break;
                        case 't': c = '\t'; break;
                        case 'u':
                            int code = 0;
                            for (int k = 0; k < 4; k++)
                            {
                                if (Position >= _s.Length)
                                {
                                    Fail("short \\u escape");
                                    return null;
                                }

                                char h = _s[Position++];
                                int d = h >= '0' && h <= '9' ? h - '0' : h >= 'a' && h <= 'f' ? h - 'a' + 10 : h >= 'A' && h <= 'F' ? h - 'A' + 10 : -1;
                                if (d < 0)
                                {
                                    Fail("bad hex digit in \\u escape");
                                    return null;
                                }

                                code = (code << 4) | d;
                            }

                            c = (char)code;
                            break;
                        default:
                            Fail("unknown escape \\" + e.ToString());
                            return null;
                    }
                }

                if (n == buffer.Length)
                {
                    char[] grown = new char[buffer.Length * 2];
                    System.Array.Copy(buffer, grown, n);
                    buffer = grown;
                }

                buffer[n++] = c;
            }
        }

        private JsonValue? ParseNumber()
        {
            int start = Position;
            bool negative = false;
            if (_s[Position] == '-')
            {
                negative = true;
                Position++;
            }

            double mantissa = 0;
            int digits = 0;
            int exponent = 0;
            bool integer = true;
            if (Position < _s.Length && _s[Position] == '0')
            {
                Position++;
                digits++;
            }
            else
            {
                while (Position < _s.Length && _s[Position] >= '0' && _s[Position] <= '9')
                {
                    mantissa = (mantissa * 10) + (_s[Position] - '0');
                    Position++;
                    digits++;
                }
            }

            if (digits == 0)
            {
                Fail("invalid number");
                return null;
            }

            if (Position < _s.Length && _s[Position] == '.')
            {
                integer = false;
                Position++;
                int fractionDigits = 0;
                while (Position < _s.Length && _s[Position] >= '0' && _s[Position] <= '9')
                {
                    mantissa = (mantissa * 10) + (_s[Position] - '0');
                    exponent--;
                    Position++;
                    fractionDigits++;
                }

                if (fractionDigits == 0)
                {
                    Fail("digits expected after '.'");
                    return null;
                }
            }

            if (Position < _s.Length && (_s[Position] == 'e' || _s[Position] == 'E'))
            {
                integer = false;
                Position++;
                bool expNegative = false;
                if (Position < _s.Length && (_s[Position] == '+' || _s[Position] == '-'))
                {
                    expNegative = _s[Position] == '-';
                    Position++;
                }

                int e = 0;
                int expDigits = 0;
                while (Position < _s.Length && _s[Position] >= '0' && _s[Position] <= '9')
                {
                    if (e < 10000)
                    {
                        e = (e * 10) + (_s[Position] - '0');
                    }

                    Position++;
                    expDigits++;
                }

                if (expDigits == 0)
                {
                    Fail("digits expected in exponent");
                    return null;
                }

                exponent += expNegative ? -e : e;
            }

            double value = exponent == 0 ? mantissa
                : exponent > 0 ? mantissa * FloatMath.Pow(10, exponent)
                : mantissa / FloatMath.Pow(10, -exponent);
            if (!FloatMath.IsFinite(value))
            {
                Position = start;
                Fail("number out of range");
                return null;
            }

            return new JsonValue(JsonKind.Number) { Number = negative ? -value : value, IsInteger = integer };
        }
    }
}
