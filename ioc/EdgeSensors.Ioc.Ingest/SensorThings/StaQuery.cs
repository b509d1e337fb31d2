using System.Globalization;

namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>One navigation to expand, with the query options for what it expands to.</summary>
public sealed record ExpandItem(string Navigation, StaQuery Query);

/// <summary>
/// The query options of SensorThings API 1.1 §9.3 ($top, $skip, $count, $orderby, $select, $expand, $filter), also as
/// they appear nested in an expansion: <c>$expand=Datastreams($top=1;$orderby=phenomenonTime desc)</c>.
/// </summary>
public sealed class StaQuery
{
    public const int DefaultTop = 100;
    public const int MaxTop = 10_000;

    public int? Top { get; private set; }

    public int Skip { get; private set; }

    public bool Count { get; private set; }

    public FilterExpr? Filter { get; private set; }

    public IReadOnlyList<(FilterExpr Expr, bool Descending)> OrderBy { get; private set; } = [];

    public IReadOnlyList<string>? Select { get; private set; }

    public List<ExpandItem> Expand { get; } = [];

    /// <summary>What the query string said, for the next page's link.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Raw { get; private set; } = [];

    public int EffectiveTop => Top ?? DefaultTop;

    public static StaQuery FromPairs(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        var q = new StaQuery();
        var raw = new List<KeyValuePair<string, string>>();
        foreach ((string key, string value) in pairs)
        {
            if (!key.StartsWith('$'))
            {
                continue; // not a system query option: ignored, as OData says
            }

            raw.Add(new(key, value));
            q.Apply(key, value);
        }

        q.Raw = raw;
        return q;
    }

    /// <summary>The options inside an expansion's parentheses, separated by ';'.</summary>
    public static StaQuery FromNested(string text)
    {
        var q = new StaQuery();
        foreach (string part in SplitTopLevel(text, ';'))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                throw new StaQueryException($"\"{part}\" in an expansion is not an option=value pair");
            }

            q.Apply(part[..eq].Trim(), part[(eq + 1)..]);
        }

        return q;
    }

    private void Apply(string key, string value)
    {
        switch (key)
        {
            case "$top":
                Top = NonNegative(key, value);
                if (Top > MaxTop)
                {
                    throw new StaQueryException($"$top may be at most {MaxTop}; page with @iot.nextLink");
                }

                break;
            case "$skip":
                Skip = NonNegative(key, value);
                break;
            case "$count":
                Count = value switch
                {
                    "true" => true,
                    "false" => false,
                    _ => throw new StaQueryException("$count must be true or false"),
                };
                break;
            case "$filter":
                Filter = ODataFilter.Parse(value);
                break;
            case "$orderby":
                OrderBy = ODataFilter.ParseOrderBy(value);
                break;
            case "$select":
                Select = value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)
                    .Select(s => s is "id" ? "@iot.id" : s).ToList();
                if (Select.Count == 0)
                {
                    throw new StaQueryException("$select names no property");
                }

                break;
            case "$expand":
                foreach (string item in SplitTopLevel(value, ','))
                {
                    Expand.Add(ParseExpand(item.Trim()));
                }

                break;
            case "$resultFormat":
                if (value != "default")
                {
                    throw new StaQueryException("$resultFormat=" + value + " (the data array extension) is not supported by this service", 501);
                }

                break;
            default:
                throw new StaQueryException($"unknown query option {key}");
        }
    }

    private static ExpandItem ParseExpand(string item)
    {
        int open = item.IndexOf('(', StringComparison.Ordinal);
        string path = open < 0 ? item : item[..open];
        StaQuery inner;
        if (open < 0)
        {
            inner = new StaQuery();
        }
        else
        {
            if (!item.EndsWith(')'))
            {
                throw new StaQueryException($"$expand item \"{item}\" does not close its options with ')'");
            }

            inner = FromNested(item[(open + 1)..^1]);
        }

        string[] segments = path.Split('/', StringSplitOptions.TrimEntries);
        if (segments.Any(string.IsNullOrEmpty))
        {
            throw new StaQueryException($"$expand item \"{item}\" has an empty navigation");
        }

        // Datastreams/ObservedProperty: expand Datastreams, and within each, ObservedProperty (with the item's options).
        for (int i = segments.Length - 1; i > 0; i--)
        {
            var outer = new StaQuery();
            outer.Expand.Add(new ExpandItem(segments[i], inner));
            inner = outer;
        }

        return new ExpandItem(segments[0], inner);
    }

    private static int NonNegative(string key, string value) =>
        int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : throw new StaQueryException($"{key} must be a non-negative integer, not \"{value}\"");

    /// <summary>Splits at <paramref name="separator"/> outside parentheses and quoted strings.</summary>
    public static List<string> SplitTopLevel(string text, char separator)
    {
        var parts = new List<string>();
        int depth = 0, start = 0;
        bool quoted = false;
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c == '\'')
            {
                quoted = !quoted;
            }
            else if (!quoted && c == '(')
            {
                depth++;
            }
            else if (!quoted && c == ')')
            {
                depth--;
                if (depth < 0)
                {
                    throw new StaQueryException($"unbalanced ')' in \"{text}\"");
                }
            }
            else if (!quoted && depth == 0 && c == separator)
            {
                parts.Add(text[start..i]);
                start = i + 1;
            }
        }

        if (depth != 0 || quoted)
        {
            throw new StaQueryException($"unbalanced parentheses or quotes in \"{text}\"");
        }

        parts.Add(text[start..]);
        return parts.Where(p => p.Trim().Length > 0).ToList();
    }
}
