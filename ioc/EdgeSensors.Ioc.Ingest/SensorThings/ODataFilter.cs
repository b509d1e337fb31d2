using System.Globalization;
using System.Text.RegularExpressions;

namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>A query a client sent that this service cannot answer: 400 with the message, or 501 when it is valid but not supported.</summary>
public sealed class StaQueryException(string message, int status = 400) : Exception(message)
{
    public int Status { get; } = status;
}

/// <summary>A <c>$filter</c> or <c>$orderby</c> expression (OGC SensorThings API 1.1 §9.3.3.5, the OData 4.0 subset it names).</summary>
public abstract record FilterExpr;

public sealed record Literal(object? Value) : FilterExpr;

/// <summary>A property path such as <c>result</c>, <c>Datastream/Thing/name</c> or <c>properties/site</c>.</summary>
public sealed record PropertyPath(IReadOnlyList<string> Segments) : FilterExpr
{
    public override string ToString() => string.Join('/', Segments);
}

public sealed record Binary(string Op, FilterExpr Left, FilterExpr Right) : FilterExpr;

public sealed record NotExpr(FilterExpr Operand) : FilterExpr;

public sealed record Negate(FilterExpr Operand) : FilterExpr;

public sealed record FunctionCall(string Name, IReadOnlyList<FilterExpr> Args) : FilterExpr;

/// <summary>
/// Parser and evaluator for the filter language of SensorThings API 1.1 (comparison, logical and arithmetic operators,
/// the string, date, math functions of its Table 24). Written here because no .NET OData library parses SensorThings'
/// URL conventions without an EDM model of its own (Microsoft.OData.Core's parser needs a CSDL model and rejects
/// <c>@iot.id</c> paths); the grammar is small and fully tested against the specification's examples.
/// Geospatial functions (<c>st_*</c>, <c>geo.*</c>) are answered with 501.
/// </summary>
public static partial class ODataFilter
{
    private static readonly HashSet<string> Comparisons = ["eq", "ne", "gt", "ge", "lt", "le"];
    private static readonly Dictionary<string, int> Arity = new(StringComparer.Ordinal)
    {
        ["substringof"] = 2, ["endswith"] = 2, ["startswith"] = 2, ["contains"] = 2, ["length"] = 1, ["indexof"] = 2,
        ["substring"] = -1, ["tolower"] = 1, ["toupper"] = 1, ["trim"] = 1, ["concat"] = 2,
        ["year"] = 1, ["month"] = 1, ["day"] = 1, ["hour"] = 1, ["minute"] = 1, ["second"] = 1, ["fractionalseconds"] = 1,
        ["date"] = 1, ["time"] = 1, ["totaloffsetminutes"] = 1, ["now"] = 0, ["mindatetime"] = 0, ["maxdatetime"] = 0,
        ["round"] = 1, ["floor"] = 1, ["ceiling"] = 1,
    };

    [GeneratedRegex(@"\G\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,7})?)?(Z|[+-]\d{2}:\d{2}))?", RegexOptions.CultureInvariant)]
    private static partial Regex DateTimeLiteral();

    [GeneratedRegex(@"\G\d+(\.\d+)?([eE][+-]?\d+)?", RegexOptions.CultureInvariant)]
    private static partial Regex NumberLiteral();

    [GeneratedRegex(@"\G[A-Za-z_@$][A-Za-z0-9_.@$]*", RegexOptions.CultureInvariant)]
    private static partial Regex Identifier();

    private enum Kind { Ident, Number, Text, Date, Open, Close, Comma, Slash, End }

    private readonly record struct Token(Kind Kind, string Text, object? Value, int At);

    public static FilterExpr Parse(string text)
    {
        var p = new Parser(Tokenize(text), text);
        FilterExpr e = p.Or();
        p.Expect(Kind.End, "the end of the expression");
        return e;
    }

    /// <summary>An <c>$orderby</c> list: expressions, each ascending unless followed by <c>desc</c>.</summary>
    public static IReadOnlyList<(FilterExpr Expr, bool Descending)> ParseOrderBy(string text)
    {
        var p = new Parser(Tokenize(text), text);
        var list = new List<(FilterExpr, bool)>();
        while (true)
        {
            FilterExpr e = p.Add();
            bool desc = false;
            if (p.TakeWord("desc"))
            {
                desc = true;
            }
            else
            {
                p.TakeWord("asc");
            }

            list.Add((e, desc));
            if (!p.Take(Kind.Comma))
            {
                break;
            }
        }

        p.Expect(Kind.End, "a comma or the end of $orderby");
        return list;
    }

    private static List<Token> Tokenize(string s)
    {
        var list = new List<Token>();
        int i = 0;
        while (i < s.Length)
        {
            char c = s[i];
            if (char.IsWhiteSpace(c))
            {
                i++;
                continue;
            }

            switch (c)
            {
                case '(':
                    list.Add(new Token(Kind.Open, "(", null, i++));
                    continue;
                case ')':
                    list.Add(new Token(Kind.Close, ")", null, i++));
                    continue;
                case ',':
                    list.Add(new Token(Kind.Comma, ",", null, i++));
                    continue;
                case '/':
                    list.Add(new Token(Kind.Slash, "/", null, i++));
                    continue;
                case '\'':
                {
                    var sb = new System.Text.StringBuilder();
                    int start = i++;
                    while (true)
                    {
                        if (i >= s.Length)
                        {
                            throw new StaQueryException($"unterminated string starting at position {start}");
                        }

                        if (s[i] == '\'')
                        {
                            if (i + 1 < s.Length && s[i + 1] == '\'')
                            {
                                sb.Append('\'');
                                i += 2;
                                continue;
                            }

                            i++;
                            break;
                        }

                        sb.Append(s[i++]);
                    }

                    list.Add(new Token(Kind.Text, sb.ToString(), sb.ToString(), start));
                    continue;
                }
            }

            Match m = DateTimeLiteral().Match(s, i);
            if (m.Success && (m.Groups[1].Success || i + m.Length >= s.Length || !char.IsLetterOrDigit(s[i + m.Length])))
            {
                if (!DateTimeOffset.TryParse(m.Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out DateTimeOffset d))
                {
                    throw new StaQueryException($"\"{m.Value}\" is not a valid date-time");
                }

                list.Add(new Token(Kind.Date, m.Value, d, i));
                i += m.Length;
                continue;
            }

            m = NumberLiteral().Match(s, i);
            if (m.Success)
            {
                list.Add(new Token(Kind.Number, m.Value, double.Parse(m.Value, NumberStyles.Float, CultureInfo.InvariantCulture), i));
                i += m.Length;
                continue;
            }

            m = Identifier().Match(s, i);
            if (m.Success)
            {
                list.Add(new Token(Kind.Ident, m.Value, null, i));
                i += m.Length;
                continue;
            }

            if (c == '-')
            {
                list.Add(new Token(Kind.Ident, "-", null, i++));
                continue;
            }

            throw new StaQueryException($"unexpected character '{c}' at position {i}");
        }

        list.Add(new Token(Kind.End, "", null, s.Length));
        return list;
    }

    private sealed class Parser(List<Token> tokens, string text)
    {
        private int _i;

        private Token Peek => tokens[_i];

        public bool Take(Kind k)
        {
            if (Peek.Kind != k)
            {
                return false;
            }

            _i++;
            return true;
        }

        public bool TakeWord(string w)
        {
            if (Peek.Kind == Kind.Ident && Peek.Text == w)
            {
                _i++;
                return true;
            }

            return false;
        }

        public void Expect(Kind k, string what)
        {
            if (!Take(k))
            {
                throw new StaQueryException($"expected {what} at position {Peek.At} of \"{text}\", found \"{(Peek.Kind == Kind.End ? "end" : Peek.Text)}\"");
            }
        }

        public FilterExpr Or()
        {
            FilterExpr e = And();
            while (TakeWord("or"))
            {
                e = new Binary("or", e, And());
            }

            return e;
        }

        private FilterExpr And()
        {
            FilterExpr e = NotTerm();
            while (TakeWord("and"))
            {
                e = new Binary("and", e, NotTerm());
            }

            return e;
        }

        private FilterExpr NotTerm() => TakeWord("not") ? new NotExpr(NotTerm()) : Compare();

        private FilterExpr Compare()
        {
            FilterExpr e = Add();
            if (Peek.Kind == Kind.Ident && Comparisons.Contains(Peek.Text))
            {
                string op = tokens[_i++].Text;
                e = new Binary(op, e, Add());
            }

            return e;
        }

        public FilterExpr Add()
        {
            FilterExpr e = Mul();
            while (Peek.Kind == Kind.Ident && Peek.Text is "add" or "sub")
            {
                string op = tokens[_i++].Text;
                e = new Binary(op, e, Mul());
            }

            return e;
        }

        private FilterExpr Mul()
        {
            FilterExpr e = Unary();
            while (Peek.Kind == Kind.Ident && Peek.Text is "mul" or "div" or "mod")
            {
                string op = tokens[_i++].Text;
                e = new Binary(op, e, Unary());
            }

            return e;
        }

        private FilterExpr Unary() => TakeWord("-") ? new Negate(Unary()) : Primary();

        private FilterExpr Primary()
        {
            Token t = Peek;
            switch (t.Kind)
            {
                case Kind.Open:
                    _i++;
                    FilterExpr inner = Or();
                    Expect(Kind.Close, "')'");
                    return inner;
                case Kind.Number or Kind.Text or Kind.Date:
                    _i++;
                    return new Literal(t.Value);
                case Kind.Ident:
                    _i++;
                    switch (t.Text)
                    {
                        case "true":
                            return new Literal(true);
                        case "false":
                            return new Literal(false);
                        case "null":
                            return new Literal(null);
                    }

                    if (Peek.Kind == Kind.Open)
                    {
                        return Function(t);
                    }

                    var segments = new List<string> { t.Text };
                    while (Take(Kind.Slash))
                    {
                        Token next = Peek;
                        Expect(Kind.Ident, "a property name after '/'");
                        segments.Add(next.Text);
                    }

                    return new PropertyPath(segments);
                default:
                    throw new StaQueryException($"expected a value, a property or a function at position {t.At} of \"{text}\"");
            }
        }

        private FunctionCall Function(Token name)
        {
            string f = name.Text;
            if (f.StartsWith("st_", StringComparison.Ordinal) || f.StartsWith("geo.", StringComparison.Ordinal))
            {
                throw new StaQueryException($"the geospatial function {f} is not supported by this service", 501);
            }

            if (!Arity.TryGetValue(f, out int arity))
            {
                throw new StaQueryException($"unknown function {f}");
            }

            Expect(Kind.Open, "'('");
            var args = new List<FilterExpr>();
            if (Peek.Kind != Kind.Close)
            {
                do
                {
                    args.Add(Or());
                }
                while (Take(Kind.Comma));
            }

            Expect(Kind.Close, "')'");
            if (arity >= 0 ? args.Count != arity : args.Count is < 2 or > 3)
            {
                throw new StaQueryException($"{f} takes {(arity >= 0 ? arity.ToString(CultureInfo.InvariantCulture) : "2 or 3")} argument(s), not {args.Count}");
            }

            return new FunctionCall(f, args);
        }
    }

    /// <summary>Evaluates an expression; <paramref name="resolve"/> gives a property path's value (null when absent).</summary>
    public static object? Evaluate(FilterExpr e, Func<PropertyPath, object?> resolve) => e switch
    {
        Literal l => l.Value,
        PropertyPath p => Normalize(resolve(p)),
        NotExpr n => Evaluate(n.Operand, resolve) is bool b ? !b : null,
        Negate n => Evaluate(n.Operand, resolve) is double d ? -d : null,
        Binary { Op: "and" } b => Evaluate(b.Left, resolve) is true && Evaluate(b.Right, resolve) is true,
        Binary { Op: "or" } b => Evaluate(b.Left, resolve) is true || Evaluate(b.Right, resolve) is true,
        Binary b when Comparisons.Contains(b.Op) => CompareOp(b.Op, Evaluate(b.Left, resolve), Evaluate(b.Right, resolve)),
        Binary b => Arithmetic(b.Op, Evaluate(b.Left, resolve), Evaluate(b.Right, resolve)),
        FunctionCall c => Function(c.Name, c.Args.Select(a => Evaluate(a, resolve)).ToArray()),
        _ => null,
    };

    public static bool Matches(FilterExpr e, Func<PropertyPath, object?> resolve) => Evaluate(e, resolve) is true;

    private static object? Normalize(object? v) => v switch
    {
        int i => (double)i,
        long l => (double)l,
        float f => (double)f,
        decimal m => (double)m,
        System.Text.Json.Nodes.JsonValue j when j.TryGetValue(out double d) => d,
        System.Text.Json.Nodes.JsonValue j when j.TryGetValue(out string? s) => s,
        System.Text.Json.Nodes.JsonValue j when j.TryGetValue(out bool b) => b,
        _ => v,
    };

    /// <summary>Ordering of two values of the same type (numbers, text, times, booleans); null sorts first.</summary>
    public static int CompareValues(object? a, object? b)
    {
        a = Normalize(a);
        b = Normalize(b);
        return (a, b) switch
        {
            (null, null) => 0,
            (null, _) => -1,
            (_, null) => 1,
            (double x, double y) => x.CompareTo(y),
            (string x, string y) => string.CompareOrdinal(x, y),
            (DateTimeOffset x, DateTimeOffset y) => x.CompareTo(y),
            (DateTimeOffset x, string y) when TryTime(y, out DateTimeOffset t) => x.CompareTo(t),
            (string x, DateTimeOffset y) when TryTime(x, out DateTimeOffset t) => t.CompareTo(y),
            (bool x, bool y) => x.CompareTo(y),
            _ => string.CompareOrdinal(Convert.ToString(a, CultureInfo.InvariantCulture), Convert.ToString(b, CultureInfo.InvariantCulture)),
        };
    }

    private static bool TryTime(string s, out DateTimeOffset t) =>
        DateTimeOffset.TryParse(s, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out t);

    private static bool CompareOp(string op, object? a, object? b)
    {
        if (a == null || b == null)
        {
            // OData: null equals only null; an ordering comparison with null is false.
            return op switch { "eq" => a == null && b == null, "ne" => !(a == null && b == null), _ => false };
        }

        bool comparable = (a, b) switch
        {
            (double, double) or (string, string) or (DateTimeOffset, DateTimeOffset) or (bool, bool) => true,
            (DateTimeOffset, string s) => TryTime(s, out _),
            (string s, DateTimeOffset) => TryTime(s, out _),
            _ => false,
        };
        if (!comparable)
        {
            return op == "ne";
        }

        int c = CompareValues(a, b);
        return op switch { "eq" => c == 0, "ne" => c != 0, "gt" => c > 0, "ge" => c >= 0, "lt" => c < 0, _ => c <= 0 };
    }

    private static object? Arithmetic(string op, object? a, object? b)
    {
        if (a is not double x || b is not double y)
        {
            return null;
        }

        return op switch
        {
            "add" => x + y,
            "sub" => x - y,
            "mul" => x * y,
            "div" => y == 0 ? null : x / y,
            _ => y == 0 ? null : x % y,
        };
    }

    private static DateTimeOffset? Time(object? v) => v switch
    {
        DateTimeOffset d => d,
        string s when TryTime(s, out DateTimeOffset t) => t,
        _ => null,
    };

    private static object? Function(string f, object?[] a)
    {
        switch (f)
        {
            case "now":
                return DateTimeOffset.UtcNow;
            case "mindatetime":
                return DateTimeOffset.MinValue;
            case "maxdatetime":
                return DateTimeOffset.MaxValue;
            case "round" or "floor" or "ceiling":
                return a[0] is double d ? f switch { "round" => Math.Round(d, MidpointRounding.AwayFromZero), "floor" => Math.Floor(d), _ => Math.Ceiling(d) } : null;
            case "year" or "month" or "day" or "hour" or "minute" or "second" or "fractionalseconds" or "date" or "time" or "totaloffsetminutes":
                if (Time(a[0]) is not DateTimeOffset t)
                {
                    return null;
                }

                return f switch
                {
                    "year" => t.Year,
                    "month" => t.Month,
                    "day" => t.Day,
                    "hour" => t.Hour,
                    "minute" => t.Minute,
                    "second" => t.Second,
                    "fractionalseconds" => t.Millisecond / 1000.0,
                    "date" => new DateTimeOffset(t.Date, t.Offset),
                    "time" => t.TimeOfDay.ToString("c", CultureInfo.InvariantCulture),
                    _ => (object)t.Offset.TotalMinutes,
                } switch { int i => (double)i, var o => o };
        }

        if (a.Any(x => x is not (string or double or null)))
        {
            return null;
        }

        string? s0 = a.Length > 0 ? a[0] as string : null;
        string? s1 = a.Length > 1 ? a[1] as string : null;
        object? Str(string? v) => v;
        object? Num(int? v) => v is int i ? (double)i : null;
        object? Flag(bool? v) => v;
        return f switch
        {
            "substringof" => Flag(s0 != null && s1 != null ? s1.Contains(s0, StringComparison.Ordinal) : null),
            "contains" => Flag(s0 != null && s1 != null ? s0.Contains(s1, StringComparison.Ordinal) : null),
            "endswith" => Flag(s0 != null && s1 != null ? s0.EndsWith(s1, StringComparison.Ordinal) : null),
            "startswith" => Flag(s0 != null && s1 != null ? s0.StartsWith(s1, StringComparison.Ordinal) : null),
            "length" => Num(s0?.Length),
            "indexof" => Num(s0 != null && s1 != null ? s0.IndexOf(s1, StringComparison.Ordinal) : null),
            "substring" => Str(s0 != null && a[1] is double from ? Substring(s0, (int)from, a.Length > 2 && a[2] is double n ? (int)n : null) : null),
            "tolower" => Str(s0?.ToLowerInvariant()),
            "toupper" => Str(s0?.ToUpperInvariant()),
            "trim" => Str(s0?.Trim()),
            "concat" => Str(s0 != null && s1 != null ? s0 + s1 : null),
            _ => null,
        };
    }

    private static string Substring(string s, int from, int? length)
    {
        from = Math.Clamp(from, 0, s.Length);
        int n = Math.Clamp(length ?? s.Length - from, 0, s.Length - from);
        return s.Substring(from, n);
    }
}
