using System.Text.Json;

namespace EdgeSensors.Ioc.Ingest.Decoding;

/// <summary>
/// Reads a gateway → IOC message of protocol v1 (docs/protocol.md, docs/schemas/ioc-*.schema.json): readings, alert
/// or gap record, told apart by the topic's last level. Anything else — not JSON, another schema version, a missing
/// or out-of-range id field, oversize — is refused with a reason and parked; it never reaches the tables and never
/// blocks the messages behind it. Each message is parsed once.
/// </summary>
public sealed class IocMessageDecoder(int maxBytes)
{
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
            using JsonDocument doc = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 16 });
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

            string site = Text(root, "site", 64);
            return kind switch
            {
                "telemetry" => new DecodedMessage(Readings(root, site), null, null, null),
                "alerts" => new DecodedMessage([], Alert(root, site), null, null),
                "gaps" => new DecodedMessage([], null, Gap(root, site), null),
                _ => DecodedMessage.Park(topic, $"unknown message kind \"{kind}\" (topic {topic})", body, KeepBytes),
            };
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
