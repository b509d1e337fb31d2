using System.Text.Json;
using Json.Schema;

namespace EdgeSensors.Ioc.Ingest.Decoding;

/// <summary>
/// Reads a gateway → IOC message of protocol v1 (docs/protocol.md, docs/schemas/ioc-*.schema.json): readings, alert
/// or gap record, told apart by the topic's last level. Anything else — not JSON, another schema version, a missing
/// or out-of-range id field, oversize — is refused with a reason and parked; it never reaches the tables and never
/// blocks the messages behind it. Each message is parsed once.
/// Issue 32: what a gateway may say is bound to the channel it said it on. The site (and, for readings, the node) come
/// from the topic — what the broker's permissions let that gateway publish on (the RabbitMQ routing key is mapped to
/// it) — and a body that names another is parked; the body must meet the published schema (docs/schemas, embedded:
/// ids, names, quality values, fields and their ranges), validated with JsonSchema.Net; and times outside a plausible
/// window are parked, so a year-2999 timestamp never opens a partition.
/// </summary>
public sealed class IocMessageDecoder(int maxBytes, TimeSpan? maxAge = null, TimeSpan? maxFuture = null, TimeProvider? time = null)
{
    private static readonly Lazy<Dictionary<string, JsonSchema>> Schemas = new(LoadSchemas);
    private readonly TimeSpan _maxAge = maxAge ?? TimeSpan.FromDays(400);
    private readonly TimeSpan _maxFuture = maxFuture ?? TimeSpan.FromHours(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <summary>Bytes of a refused body kept for inspection.</summary>
    public const int KeepBytes = 64 * 1024;

    public DecodedMessage Decode(string topic, byte[] body)
    {
        if (body.Length > maxBytes)
        {
            return DecodedMessage.Park(topic, $"oversize: {body.Length} bytes, the limit is {maxBytes}", body, KeepBytes);
        }

        string kind = topic[(topic.LastIndexOf('/') + 1)..];
        try
        {
            // A key twice is refused (which of the two would count is a parser's choice, not the sender's word).
            using JsonDocument doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16, AllowDuplicateProperties = false });
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return DecodedMessage.Park(topic, "not a JSON object", body, KeepBytes);
            }

            if (!root.TryGetProperty("v", out JsonElement v) || v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out int version))
            {
                return DecodedMessage.Park(topic, "no schema version \"v\"", body, KeepBytes);
            }

            if (version != 1)
            {
                return DecodedMessage.Park(topic, $"unknown schema version {version} (this ingest reads v1)", body, KeepBytes);
            }

            string[] levels = topic.Split('/');
            (string Schema, int Levels)? shape = kind switch
            {
                "telemetry" => ("ioc-readings", 4),
                "alerts" => ("ioc-alert", 3),
                "gaps" => ("ioc-gap", 3),
                "marks" => ("ioc-marks", 3),
                _ => null,
            };
            if (shape == null)
            {
                return DecodedMessage.Park(topic, $"unknown message kind \"{kind}\" (topic {topic})", body, KeepBytes);
            }

            if (levels.Length != shape.Value.Levels || levels[0] != "ioc")
            {
                return DecodedMessage.Park(topic, $"topic {topic} is not ioc/{{site}}/{(kind == "telemetry" ? "{node}/" : string.Empty)}{kind}", body, KeepBytes);
            }

            // Authority: the channel says who spoke; the body must agree with it.
            string channelSite = levels[1];
            string site = Text(root, "site", 64);
            if (site != channelSite)
            {
                return DecodedMessage.Park(topic, $"authority: the body says site \"{Clip(site)}\" but it came on site {Clip(channelSite)}'s channel", body, KeepBytes);
            }

            if (kind == "telemetry" && Text(root, "node", 32) is string bodyNode && bodyNode != levels[2])
            {
                return DecodedMessage.Park(topic, $"authority: the body says node \"{Clip(bodyNode)}\" but it came on node {Clip(levels[2])}'s topic", body, KeepBytes);
            }

            if (SchemaProblem(shape.Value.Schema, root) is string problem)
            {
                return DecodedMessage.Park(topic, "schema: " + problem, body, KeepBytes);
            }

            DecodedMessage decoded = kind switch
            {
                "telemetry" => new DecodedMessage(Readings(root, site), null, null, null, Station(root, site)),
                "alerts" => new DecodedMessage([], Alert(root, site), null, null),
                "marks" => new DecodedMessage([], null, null, null, null, Marks(root, site)),
                _ => new DecodedMessage([], null, Gap(root, site), null),
            };
            return TimeProblem(decoded) is string late ? DecodedMessage.Park(topic, late, body, KeepBytes) : decoded;
        }
        catch (JsonException ex)
        {
            return DecodedMessage.Park(topic, "not JSON: " + ex.Message, body, KeepBytes);
        }
        catch (InvalidDataException ex)
        {
            return DecodedMessage.Park(topic, ex.Message, body, KeepBytes);
        }
        catch (InvalidOperationException ex) when (ex.InnerException is System.Text.DecoderFallbackException)
        {
            // Found by the fuzz test: JsonDocument accepts a string with invalid UTF-8 and fails only when it is read.
            return DecodedMessage.Park(topic, "not JSON: a string is not valid UTF-8", body, KeepBytes);
        }
    }

    // JsonSchema.Net 8 evaluates the JsonElement already parsed (no second parse into a JsonNode): a pass/fail
    // evaluation for every message, the detailed one only for a message that fails, to name why.
    private static readonly EvaluationOptions Flag = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions List = new() { OutputFormat = OutputFormat.List };

    /// <summary>Null, or the first few ways the message breaks its published schema.</summary>
    private static string? SchemaProblem(string schema, JsonElement root)
    {
        SchemaSubset? fast = Subsets.Value.GetValueOrDefault(schema);
        if (fast?.IsValid(root) ?? Schemas.Value[schema].Evaluate(root, Flag).IsValid)
        {
            return null;
        }

        // The library is the reference: it names the reason (and, should the compiled check ever be stricter, has the last word).
        EvaluationResults results = Schemas.Value[schema].Evaluate(root, List);
        if (results.IsValid)
        {
            return null;
        }

        var errors = (results.Details ?? [])
            .Where(d => d.Errors != null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .Distinct()
            .Take(3)
            .ToList();
        return Clip(errors.Count == 0 ? "does not match " + schema : string.Join("; ", errors), 300);
    }

    /// <summary>The schemas compiled for the fast pass/fail check (see <see cref="SchemaSubset"/>); a schema outside its keywords is absent.</summary>
    private static readonly Lazy<Dictionary<string, SchemaSubset>> Subsets = new(() =>
    {
        Dictionary<string, string> texts = SchemaTexts();
        var map = new Dictionary<string, SchemaSubset>(StringComparer.Ordinal);
        foreach (string name in texts.Keys)
        {
            if (SchemaSubset.TryCompile(name, texts) is SchemaSubset s)
            {
                map[name] = s;
            }
        }

        return map;
    });

    /// <summary>The embedded docs/schemas files: name (without ".schema.json") → text.</summary>
    internal static Dictionary<string, string> SchemaTexts()
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        System.Reflection.Assembly asm = typeof(IocMessageDecoder).Assembly;
        foreach (string name in asm.GetManifestResourceNames().Where(n => n.StartsWith("schemas/", StringComparison.Ordinal)))
        {
            using Stream stream = asm.GetManifestResourceStream(name)!;
            using var reader = new StreamReader(stream);
            map[Path.GetFileName(name)[..^".schema.json".Length]] = reader.ReadToEnd();
        }

        return map;
    }

    /// <summary>True when the named schema is checked by the compiled subset (false: by the library alone).</summary>
    internal static bool IsCompiled(string schema) => Subsets.Value.ContainsKey(schema);

    /// <summary>The library's verdict alone (the reference the compiled check is held to).</summary>
    internal static bool LibraryAccepts(string schema, JsonElement root) => Schemas.Value[schema].Evaluate(root, Flag).IsValid;

    /// <summary>The compiled check's verdict alone.</summary>
    internal static bool SubsetAccepts(string schema, JsonElement root) => Subsets.Value[schema].IsValid(root);

    /// <summary>Null, or why a time in the message is outside the plausible window around the ingest's clock.</summary>
    private string? TimeProblem(DecodedMessage m)
    {
        long now = _time.GetUtcNow().ToUnixTimeSeconds();
        long earliest = now - (long)_maxAge.TotalSeconds, latest = now + (long)_maxFuture.TotalSeconds;
        string? Check(string what, long ts) => ts < earliest || ts > latest
            ? $"time: {what} {DateTimeOffset.FromUnixTimeSeconds(Math.Clamp(ts, -62135596800, 253402300799)):yyyy-MM-dd HH:mm:ss}Z is outside {DateTimeOffset.FromUnixTimeSeconds(earliest):yyyy-MM-dd} … {DateTimeOffset.FromUnixTimeSeconds(latest):yyyy-MM-dd HH:mm}Z"
            : null;
        foreach (ReadingRow r in m.Readings)
        {
            if ((Check($"reading {r.Boot}:{r.Seq} ts", r.Ts) ?? Check($"reading {r.Boot}:{r.Seq} rx", r.Rx)) is string problem)
            {
                return problem;
            }
        }

        if (m.Marks is [var mark, ..])
        {
            return Check("marks ts", mark.Ts);
        }

        return m.Alert is { } a ? Check("alert ts", a.Ts) : m.Gap is { } g ? Check("gap ts", g.Ts) : null;
    }

    private static string Clip(string s, int max = 64) => s.Length <= max ? s : s[..max] + "…";

    private static Dictionary<string, JsonSchema> LoadSchemas()
    {
        // Built with their own registry, so $ref between them (readings → reading fields) resolves to these files.
        var build = new BuildOptions();
        return SchemaTexts().ToDictionary(t => t.Key, t => JsonSchema.FromText(t.Value, build), StringComparer.Ordinal);
    }

    /// <summary>The node's location, when the message carries one (already checked against the schema: lat, lon in range, name ≤ 200).</summary>
    private static StationRow? Station(JsonElement root, string site) =>
        root.TryGetProperty("loc", out JsonElement loc) && loc.ValueKind == JsonValueKind.Object
            && loc.TryGetProperty("lat", out JsonElement lat) && lat.TryGetDouble(out double la)
            && loc.TryGetProperty("lon", out JsonElement lon) && lon.TryGetDouble(out double lo)
            ? new StationRow(site, NodeId(root), la, lo, loc.TryGetProperty("name", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null)
            : null;

    /// <summary>A marks message (already checked against ioc-marks.schema.json): one row per (node, boot), the site from the channel.</summary>
    private static List<MarkRow> Marks(JsonElement root, string site)
    {
        long ts = root.GetProperty("ts").GetInt64();
        return root.GetProperty("marks").EnumerateArray()
            .Select(m => new MarkRow(site, m.GetProperty("node").GetString()!, m.GetProperty("boot").GetInt64(), m.GetProperty("seq").GetInt64(), ts))
            .ToList();
    }

    private static List<ReadingRow> Readings(JsonElement root, string site)
    {
        string node = NodeId(root);
        if (!root.TryGetProperty("readings", out JsonElement readings) || readings.ValueKind != JsonValueKind.Array || readings.GetArrayLength() == 0)
        {
            throw new InvalidDataException("no \"readings\" array");
        }

        var rows = new List<ReadingRow>(readings.GetArrayLength());
        foreach (JsonElement r in readings.EnumerateArray())
        {
            if (r.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException("a reading is not an object");
            }

            long boot = Id(r, "boot");
            long seq = Id(r, "seq");
            long ts = Time(r, "ts");
            long rx = Time(r, "rx");
            bool sync = r.TryGetProperty("sync", out JsonElement s) && s.ValueKind == JsonValueKind.True;
            string q = Text(r, "q", 32);
            long? nodeTs = r.TryGetProperty("node_ts", out JsonElement nts) && nts.TryGetInt64(out long n) ? n : null;
            if (!r.TryGetProperty("r", out JsonElement fields) || fields.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidDataException($"reading {boot}:{seq} has no fields object \"r\"");
            }

            rows.Add(new ReadingRow(site, node, boot, seq, ts, rx, sync, q, nodeTs, fields.GetRawText()));
        }

        return rows;
    }

    private static AlertRow Alert(JsonElement root, string site) =>
        new(site, Text(root, "id", 128), root.TryGetProperty("node", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null,
            Text(root, "kind", 64), Text(root, "level", 32), Text(root, "state", 32), Time(root, "ts"), root.GetRawText());

    private static GapRow Gap(JsonElement root, string site)
    {
        long from = Id(root, "seq_from");
        long to = Id(root, "seq_to");
        if (to < from)
        {
            throw new InvalidDataException($"gap record seq_to {to} is before seq_from {from}");
        }

        return new(site, NodeId(root), Id(root, "boot"), from, to, root.TryGetProperty("count", out JsonElement c) && c.TryGetInt64(out long count) ? count : to - from + 1,
            Text(root, "reason", 64), Time(root, "ts"));
    }

    private static string NodeId(JsonElement root)
    {
        string node = Text(root, "node", 32);
        if (!node.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-'))
        {
            throw new InvalidDataException($"node id \"{node}\" is not lower-case letters, digits and '-'");
        }

        return node;
    }

    private static string Text(JsonElement o, string name, int max) =>
        o.TryGetProperty(name, out JsonElement e) && e.ValueKind == JsonValueKind.String && e.GetString() is { Length: > 0 } s
            ? (s.Length <= max ? s : throw new InvalidDataException($"\"{name}\" is longer than {max} characters"))
            : throw new InvalidDataException($"no \"{name}\"");

    private static long Id(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement e) && e.TryGetInt64(out long v) && v is >= 1 and <= uint.MaxValue
            ? v
            : throw new InvalidDataException($"\"{name}\" is missing or not 1 … 4294967295");

    private static long Time(JsonElement o, string name) =>
        o.TryGetProperty(name, out JsonElement e) && e.TryGetInt64(out long v) && v is >= 0 and < 32503680000
            ? v
            : throw new InvalidDataException($"\"{name}\" is missing or not a Unix time in seconds");
}
