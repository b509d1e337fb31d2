using System.Buffers;
using System.Text.Json;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Gateway.Ingest;

/// <summary>
/// Validates node telemetry against protocol v1 (docs/schemas/telemetry.schema.json) and turns it into readings to
/// store. The rules are checked by hand rather than by a schema library on the hot path (a Pi takes thousands of
/// these a second); ProtocolConformanceTests checks that this parser and the schema agree on the documented
/// examples and on fuzzed input. Nothing is half-accepted: one bad sample refuses the whole message.
/// </summary>
public static class TelemetryParser
{
    /// <summary>Most samples in one message (8 KiB fits about 40; the bound only guards memory).</summary>
    public const int MaxSamples = 1000;

    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 6, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>Parses the payload a node published on sensors/{node}/telemetry.</summary>
    public static TelemetryParseResult Parse(string node, ReadOnlySpan<byte> payload, long receivedAt) =>
        Parse(node, payload, receivedAt, DefaultMaxFutureSkewSeconds, DefaultEarliestTs);

    /// <summary>A synced sample more than this far ahead of the gateway's clock is not believed, s.</summary>
    public const long DefaultMaxFutureSkewSeconds = 300;

    /// <summary>Nor one before this (2024-01-01 UTC: no EdgeSensors node existed earlier).</summary>
    public const long DefaultEarliestTs = 1_704_067_200;

    /// <summary>
    /// Parses the payload a node published on sensors/{node}/telemetry. A sample that says its clock is synced but whose
    /// time lies more than <paramref name="maxFutureSkewSeconds"/> after <paramref name="receivedAt"/> or before
    /// <paramref name="earliestTs"/> is treated like an unsynced one: kept at the receive time, the node's time beside it
    /// (<see cref="StoredReading.NodeTs"/>), flagged ts_implausible. A receive time of 0 (unknown, in tests) checks nothing.
    /// </summary>
    public static TelemetryParseResult Parse(string node, ReadOnlySpan<byte> payload, long receivedAt, long maxFutureSkewSeconds, long earliestTs)
    {
        // Checked first and whole: invalid UTF-8 inside a JSON string would otherwise surface later as an
        // InvalidOperationException from GetString — which once cut the node's connection instead of refusing.
        if (!System.Text.Unicode.Utf8.IsValid(payload))
        {
            return TelemetryParseResult.Fail("payload is not valid UTF-8");
        }

        JsonDocument doc;
        try
        {
            var reader = new Utf8JsonReader(payload, ReaderOptions);
            doc = JsonDocument.ParseValue(ref reader);
            if (reader.BytesConsumed != payload.Length && !OnlyWhitespace(payload[(int)reader.BytesConsumed..]))
            {
                return TelemetryParseResult.Fail("text after the JSON document");
            }
        }
        catch (JsonException ex)
        {
            return TelemetryParseResult.Fail("not valid JSON: " + ex.Message);
        }

        using (doc)
        {
            JsonElement root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return TelemetryParseResult.Fail("payload must be a JSON object");
            }

            uint boot = 0;
            JsonElement samples = default;
            bool haveV = false, haveNode = false, haveBoot = false, haveSamples = false;
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (JsonProperty p in root.EnumerateObject())
            {
                if (!seen.Add(p.Name))
                {
                    return TelemetryParseResult.Fail($"duplicate field \"{p.Name}\"");
                }

                switch (p.Name)
                {
                    case "v":
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int v) || v != 1)
                        {
                            return TelemetryParseResult.Fail("\"v\" must be 1");
                        }

                        haveV = true;
                        break;
                    case "node":
                        if (p.Value.ValueKind != JsonValueKind.String || p.Value.GetString() != node)
                        {
                            return TelemetryParseResult.Fail($"\"node\" must be \"{node}\", the node of the topic");
                        }

                        haveNode = true;
                        break;
                    case "boot":
                        if (!TryUInt(p.Value, 1, out boot))
                        {
                            return TelemetryParseResult.Fail("\"boot\" must be an integer 1–4294967295");
                        }

                        haveBoot = true;
                        break;
                    case "samples":
                        if (p.Value.ValueKind != JsonValueKind.Array || p.Value.GetArrayLength() == 0 || p.Value.GetArrayLength() > MaxSamples)
                        {
                            return TelemetryParseResult.Fail($"\"samples\" must be an array of 1–{MaxSamples} samples");
                        }

                        samples = p.Value;
                        haveSamples = true;
                        break;
                    case "bat_v":
                        if (p.Value.ValueKind != JsonValueKind.Number || p.Value.GetDouble() is < 0 or > 20)
                        {
                            return TelemetryParseResult.Fail("\"bat_v\" must be a number 0–20");
                        }

                        break;
                    case "rssi_dbm":
                        if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt32(out int rssi) || rssi is < -127 or > 0)
                        {
                            return TelemetryParseResult.Fail("\"rssi_dbm\" must be an integer −127–0");
                        }

                        break;
                    default:
                        return TelemetryParseResult.Fail($"unknown field \"{p.Name}\"");
                }
            }

            if (!(haveV && haveNode && haveBoot && haveSamples))
            {
                return TelemetryParseResult.Fail("missing one of the required fields \"v\", \"node\", \"boot\", \"samples\"");
            }

            var readings = new List<StoredReading>(samples.GetArrayLength());
            int index = 0;
            foreach (JsonElement s in samples.EnumerateArray())
            {
                string? error = ParseSample(node, boot, s, receivedAt, readings);
                if (error != null)
                {
                    return TelemetryParseResult.Fail($"samples[{index}]: {error}");
                }

                index++;
            }

            if (receivedAt > 0)
            {
                for (int i = 0; i < readings.Count; i++)
                {
                    StoredReading x = readings[i];
                    if (x.Sync && (x.Ts > receivedAt + maxFutureSkewSeconds || x.Ts < earliestTs))
                    {
                        readings[i] = x with { Ts = receivedAt, Sync = false, NodeTs = x.Ts };
                    }
                }
            }

            return new TelemetryParseResult(readings, null);
        }
    }

    private static string? ParseSample(string node, uint boot, JsonElement s, long rx, List<StoredReading> readings)
    {
        if (s.ValueKind != JsonValueKind.Object)
        {
            return "a sample must be an object";
        }

        uint seq = 0;
        long ts = 0;
        bool sync = false;
        JsonElement r = default;
        int have = 0;
        foreach (JsonProperty p in s.EnumerateObject())
        {
            switch (p.Name)
            {
                case "seq":
                    if (!TryUInt(p.Value, 1, out seq))
                    {
                        return "\"seq\" must be an integer 1–4294967295";
                    }

                    have |= 1;
                    break;
                case "ts":
                    if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetInt64(out ts) || ts < 0 || ts > 32503680000)
                    {
                        return "\"ts\" must be Unix seconds";
                    }

                    have |= 2;
                    break;
                case "sync":
                    if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    {
                        return "\"sync\" must be true or false";
                    }

                    sync = p.Value.GetBoolean();
                    have |= 4;
                    break;
                case "r":
                    if (p.Value.ValueKind != JsonValueKind.Object)
                    {
                        return "\"r\" must be an object";
                    }

                    r = p.Value;
                    have |= 8;
                    break;
                default:
                    return $"unknown field \"{p.Name}\"";
            }
        }

        if (have != 15)
        {
            return "a sample needs \"seq\", \"ts\", \"sync\" and \"r\"";
        }

        // Known fields only, at the protocol's precision, absent ones NaN: what is stored is exactly what was validated.
        double[] values = [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
        foreach (JsonProperty p in r.EnumerateObject())
        {
            int f = FieldIndex(p.Name);
            if (f < 0)
            {
                return $"unknown reading field \"{p.Name}\"";
            }

            if (!double.IsNaN(values[f]))
            {
                return $"duplicate reading field \"{p.Name}\"";
            }

            if (p.Value.ValueKind != JsonValueKind.Number || !p.Value.TryGetDouble(out double d) || !double.IsFinite(d) || d < Reading.FieldMin[f] || d > Reading.FieldMax[f])
            {
                return $"\"{p.Name}\" must be a number {Reading.FieldMin[f]}–{Reading.FieldMax[f]}";
            }

            values[f] = StoredReading.AtPrecision(f, d);
        }

        readings.Add(new StoredReading(0, node, boot, seq, sync ? ts : rx, rx, sync, values));
        return null;
    }

    private static int FieldIndex(string name)
    {
        for (int i = 0; i < Reading.FieldCount; i++)
        {
            if (string.Equals(Reading.FieldNames[i], name, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryUInt(JsonElement e, uint min, out uint value)
    {
        value = 0;
        if (e.ValueKind != JsonValueKind.Number || !e.TryGetInt64(out long l) || l < min || l > uint.MaxValue)
        {
            return false;
        }

        value = (uint)l;
        return true;
    }

    private static bool OnlyWhitespace(ReadOnlySpan<byte> rest)
    {
        foreach (byte b in rest)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
