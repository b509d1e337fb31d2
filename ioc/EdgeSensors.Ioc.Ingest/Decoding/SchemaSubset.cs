using System.Text.Json;
using System.Text.RegularExpressions;

namespace EdgeSensors.Ioc.Ingest.Decoding;

/// <summary>
/// A pass/fail check of a message against one of docs/schemas, for the keywords those schemas use (type, properties,
/// required, additionalProperties: false, items, minItems, const, enum, pattern, minLength, maxLength, minimum,
/// maximum, and $ref
/// to another of the files). Why by hand: JsonSchema.Net, which stays the reference and names the reason when a message
/// fails, cost 30 times the JSON parse and 22 KB of garbage per reading on the gateway's own 200-reading messages
/// (bench: ingest-decode), where the ingest must keep up with a province. A schema using any other keyword is not
/// compiled (<see cref="TryCompile"/> returns null) and the library checks every message instead; the ingest tests
/// hold the two to the same verdict on generated messages.
/// </summary>
public sealed class SchemaSubset
{
    private static readonly HashSet<string> Known = ["$schema", "$id", "title", "description", "type", "properties", "required", "additionalProperties", "items", "minItems", "const", "enum", "pattern", "minLength", "maxLength", "minimum", "maximum", "$ref"];
    private readonly Node _root;

    private SchemaSubset(Node root) => _root = root;

    /// <summary>The compiled check of <paramref name="name"/>, resolving $ref among <paramref name="texts"/> (file name without ".schema.json" → text), or null when a keyword is outside the subset.</summary>
    public static SchemaSubset? TryCompile(string name, IReadOnlyDictionary<string, string> texts)
    {
        try
        {
            var docs = texts.ToDictionary(t => t.Key, t => JsonDocument.Parse(t.Value).RootElement.Clone());
            return new SchemaSubset(Compile(docs[name], docs));
        }
        catch (NotSupportedException)
        {
            return null;
        }
    }

    public bool IsValid(JsonElement e) => _root.Check(e);

    private static Node Compile(JsonElement s, Dictionary<string, JsonElement> docs)
    {
        var n = new Node();
        foreach (JsonProperty p in s.EnumerateObject())
        {
            if (!Known.Contains(p.Name))
            {
                throw new NotSupportedException(p.Name);
            }
        }

        if (s.TryGetProperty("$ref", out JsonElement r))
        {
            string file = r.GetString()!;
            file = file[(file.LastIndexOf('/') + 1)..];
            return file.EndsWith(".schema.json", StringComparison.Ordinal) && docs.TryGetValue(file[..^".schema.json".Length], out JsonElement target)
                ? Compile(target, docs)
                : throw new NotSupportedException("$ref " + file);
        }

        n.Type = s.TryGetProperty("type", out JsonElement t) ? t.GetString() : null;
        n.Const = s.TryGetProperty("const", out JsonElement c) ? c.Clone() : null;
        n.Enum = s.TryGetProperty("enum", out JsonElement en) ? en.EnumerateArray().Select(x => x.Clone()).ToArray() : null;
        n.Pattern = s.TryGetProperty("pattern", out JsonElement pt) ? new Regex(pt.GetString()!, RegexOptions.CultureInvariant | RegexOptions.Compiled) : null;
        n.MaxLength = s.TryGetProperty("maxLength", out JsonElement ml) ? ml.GetInt32() : null;
        n.MinLength = s.TryGetProperty("minLength", out JsonElement mnl) ? mnl.GetInt32() : null;
        n.Minimum = s.TryGetProperty("minimum", out JsonElement mn) ? mn.GetDouble() : null;
        n.Maximum = s.TryGetProperty("maximum", out JsonElement mx) ? mx.GetDouble() : null;
        n.MinItems = s.TryGetProperty("minItems", out JsonElement mi) ? mi.GetInt32() : null;
        n.Required = s.TryGetProperty("required", out JsonElement rq) ? rq.EnumerateArray().Select(x => x.GetString()!).ToArray() : [];
        if (s.TryGetProperty("additionalProperties", out JsonElement ap))
        {
            n.NoAdditional = ap.ValueKind == JsonValueKind.False ? true : throw new NotSupportedException("additionalProperties other than false");
        }

        if (s.TryGetProperty("properties", out JsonElement props))
        {
            n.Properties = props.EnumerateObject().ToDictionary(p => p.Name, p => Compile(p.Value, docs), StringComparer.Ordinal);
        }

        if (s.TryGetProperty("items", out JsonElement items))
        {
            n.Items = Compile(items, docs);
        }

        return n;
    }

    private sealed class Node
    {
        public string? Type { get; set; }

        public JsonElement? Const { get; set; }

        public JsonElement[]? Enum { get; set; }

        public Regex? Pattern { get; set; }

        public int? MaxLength { get; set; }

        public int? MinLength { get; set; }

        public double? Minimum { get; set; }

        public double? Maximum { get; set; }

        public int? MinItems { get; set; }

        public string[] Required { get; set; } = [];

        public bool NoAdditional { get; set; }

        public Dictionary<string, Node>? Properties { get; set; }

        public Node? Items { get; set; }

        public bool Check(JsonElement e)
        {
            if (Type != null && !IsType(e, Type))
            {
                return false;
            }

            if (Const is JsonElement c && !JsonElement.DeepEquals(c, e))
            {
                return false;
            }

            if (Enum != null && !Enum.Any(x => JsonElement.DeepEquals(x, e)))
            {
                return false;
            }

            if (e.ValueKind == JsonValueKind.String && (Pattern != null || MaxLength != null || MinLength != null))
            {
                string v = e.GetString()!;
                if ((MaxLength is int max && CodePoints(v) > max) || (MinLength is int least && CodePoints(v) < least) || (Pattern != null && !Pattern.IsMatch(v)))
                {
                    return false;
                }
            }

            if (e.ValueKind == JsonValueKind.Number && ((Minimum is double lo && e.GetDouble() < lo) || (Maximum is double hi && e.GetDouble() > hi)))
            {
                return false;
            }

            if (e.ValueKind == JsonValueKind.Array)
            {
                if (MinItems is int min && e.GetArrayLength() < min)
                {
                    return false;
                }

                if (Items != null && e.EnumerateArray().Any(i => !Items.Check(i)))
                {
                    return false;
                }
            }

            if (e.ValueKind == JsonValueKind.Object)
            {
                foreach (string r in Required)
                {
                    if (!e.TryGetProperty(r, out _))
                    {
                        return false;
                    }
                }

                foreach (JsonProperty p in e.EnumerateObject())
                {
                    if (Properties != null && Properties.TryGetValue(p.Name, out Node? sub))
                    {
                        if (!sub.Check(p.Value))
                        {
                            return false;
                        }
                    }
                    else if (NoAdditional)
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static int CodePoints(string s)
        {
            int n = 0;
            for (int i = 0; i < s.Length; i++)
            {
                n++;
                if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                {
                    i++;
                }
            }

            return n;
        }

        private static bool IsType(JsonElement e, string type) => type switch
        {
            "object" => e.ValueKind == JsonValueKind.Object,
            "array" => e.ValueKind == JsonValueKind.Array,
            "string" => e.ValueKind == JsonValueKind.String,
            "boolean" => e.ValueKind is JsonValueKind.True or JsonValueKind.False,
            "number" => e.ValueKind == JsonValueKind.Number,
            "integer" => e.ValueKind == JsonValueKind.Number && (e.TryGetInt64(out _) || (e.TryGetDouble(out double d) && Math.Floor(d) == d && double.IsFinite(d))),
            "null" => e.ValueKind == JsonValueKind.Null,
            _ => throw new NotSupportedException("type " + type),
        };
    }
}
