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
    public const long DefaultMaxFutureSkewSeconds = EdgeSensors.Node.Protocol.SampleTimes.MaxFutureSkewSeconds;

    /// <summary>Nor one before this (2024-01-01 UTC: no EdgeSensors node existed earlier).</summary>
    public const long DefaultEarliestTs = EdgeSensors.Node.Protocol.SampleTimes.EarliestPlausibleTs;

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

        var readings = new List<StoredReading>(4);
        var reader = new Utf8JsonReader(payload, ReaderOptions);
        string? error;
        uint boot;
        try
        {
            error = ReadRoot(ref reader, node, receivedAt, readings, out boot);
            if (error == null && reader.BytesConsumed != payload.Length && !OnlyWhitespace(payload[(int)reader.BytesConsumed..]))
            {
                error = "text after the JSON document";
            }
        }
        catch (JsonException ex)
        {
            return TelemetryParseResult.Fail("not valid JSON: " + ex.Message);
        }

        if (error != null)
        {
            return TelemetryParseResult.Fail(error);
        }

        for (int i = 0; i < readings.Count; i++)
        {
            StoredReading x = readings[i];
            if (x.Boot != boot)
            {
                // "boot" came after "samples" in this message: the samples were read before it was known.
                x = x with { Boot = boot };
            }

            if (receivedAt > 0 && x.Sync && (x.Ts > receivedAt + maxFutureSkewSeconds || x.Ts < earliestTs))
            {
                x = x with { Ts = receivedAt, Sync = false, NodeTs = x.Ts };
            }

            readings[i] = x;
        }

        return new TelemetryParseResult(readings, null);
    }

    // One forward pass of Utf8JsonReader over the received bytes (issue 12): no document, no intermediate strings.
    // Property names are compared as UTF-8 (ValueTextEquals also unescapes), numbers read in place.
    private const int HaveV = 1, HaveNode = 2, HaveBoot = 4, HaveSamples = 8, HaveBat = 16, HaveRssi = 32;

    private static string? ReadRoot(ref Utf8JsonReader reader, string node, long rx, List<StoredReading> readings, out uint boot)
    {
        boot = 0;
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            // A scalar or array at the top: read it whole so that invalid JSON still says so.
            reader.Skip();
            return "payload must be a JSON object";
        }

        int have = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int field = reader.ValueTextEquals("v"u8) ? HaveV
                : reader.ValueTextEquals("node"u8) ? HaveNode
                : reader.ValueTextEquals("boot"u8) ? HaveBoot
                : reader.ValueTextEquals("samples"u8) ? HaveSamples
                : reader.ValueTextEquals("bat_v"u8) ? HaveBat
                : reader.ValueTextEquals("rssi_dbm"u8) ? HaveRssi
                : 0;
            if (field == 0)
            {
                return $"unknown field \"{reader.GetString()}\"";
            }

            if ((have & field) != 0)
            {
                return $"duplicate field \"{reader.GetString()}\"";
            }

            have |= field;
            reader.Read();
            switch (field)
            {
                case HaveV:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int v) || v != 1)
                    {
                        return "\"v\" must be 1";
                    }

                    break;
                case HaveNode:
                    if (reader.TokenType != JsonTokenType.String || !reader.ValueTextEquals(node))
                    {
                        return $"\"node\" must be \"{node}\", the node of the topic";
                    }

                    break;
                case HaveBoot:
                    if (!TryUInt(ref reader, 1, out boot))
                    {
                        return "\"boot\" must be an integer 1–4294967295";
                    }

                    break;
                case HaveSamples:
                    string? error = ReadSamples(ref reader, node, boot, rx, readings);
                    if (error != null)
                    {
                        return error;
                    }

                    break;
                case HaveBat:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double bat) || bat is < 0 or > 20)
                    {
                        return "\"bat_v\" must be a number 0–20";
                    }

                    break;
                default:
                    if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt32(out int rssi) || rssi is < -127 or > 0)
                    {
                        return "\"rssi_dbm\" must be an integer −127–0";
                    }

                    break;
            }
        }

        const int required = HaveV | HaveNode | HaveBoot | HaveSamples;
        return (have & required) == required ? null : "missing one of the required fields \"v\", \"node\", \"boot\", \"samples\"";
    }

    private static string? ReadSamples(ref Utf8JsonReader reader, string node, uint boot, long rx, List<StoredReading> readings)
    {
        const string shape = "\"samples\" must be an array of 1–1000 samples";
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return shape;
        }

        int index = 0;
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (index == MaxSamples)
            {
                return shape;
            }

            string? error = ReadSample(ref reader, node, boot, rx, readings);
            if (error != null)
            {
                return $"samples[{index}]: {error}";
            }

            index++;
        }

        return index == 0 ? shape : null;
    }

    private static string? ReadSample(ref Utf8JsonReader reader, string node, uint boot, long rx, List<StoredReading> readings)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "a sample must be an object";
        }

        uint seq = 0;
        long ts = 0;
        bool sync = false;
        double[]? values = null;
        int have = 0;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            // A key twice in one sample is refused, as at the top and in "r" (the schema's reading of a document
            // with a repeated key is not what every JSON library would take; found by the fuzzer, issue 15).
            int key = reader.ValueTextEquals("seq"u8) ? 1 : reader.ValueTextEquals("ts"u8) ? 2 : reader.ValueTextEquals("sync"u8) ? 4 : reader.ValueTextEquals("r"u8) ? 8 : 0;
            if ((have & key) != 0)
            {
                return $"duplicate field \"{reader.GetString()}\"";
            }

            if (reader.ValueTextEquals("seq"u8))
            {
                reader.Read();
                if (!TryUInt(ref reader, 1, out seq))
                {
                    return "\"seq\" must be an integer 1–4294967295";
                }

                have |= 1;
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out ts) || ts < 0 || ts > 32503680000)
                {
                    return "\"ts\" must be Unix seconds";
                }

                have |= 2;
            }
            else if (reader.ValueTextEquals("sync"u8))
            {
                reader.Read();
                if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False))
                {
                    return "\"sync\" must be true or false";
                }

                sync = reader.GetBoolean();
                have |= 4;
            }
            else if (reader.ValueTextEquals("r"u8))
            {
                reader.Read();
                values = [double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN];
                string? error = ReadFields(ref reader, values);
                if (error != null)
                {
                    return error;
                }

                have |= 8;
            }
            else
            {
                return $"unknown field \"{reader.GetString()}\"";
            }
        }

        if (have != 15)
        {
            return "a sample needs \"seq\", \"ts\", \"sync\" and \"r\"";
        }

        readings.Add(new StoredReading(0, node, boot, seq, sync ? ts : rx, rx, sync, values!));
        return null;
    }

    // Known fields only, at the protocol's precision, absent ones NaN: what is stored is exactly what was validated.
    private static string? ReadFields(ref Utf8JsonReader reader, double[] values)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return "\"r\" must be an object";
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            int f = FieldIndex(ref reader);
            if (f < 0)
            {
                return $"unknown reading field \"{reader.GetString()}\"";
            }

            if (!double.IsNaN(values[f]))
            {
                return $"duplicate reading field \"{Reading.FieldNames[f]}\"";
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out double d) || !double.IsFinite(d) || d < Reading.FieldMin[f] || d > Reading.FieldMax[f])
            {
                return $"\"{Reading.FieldNames[f]}\" must be a number {Reading.FieldMin[f]}–{Reading.FieldMax[f]}";
            }

            values[f] = StoredReading.AtPrecision(f, d);
        }

        return null;
    }

    // The field table's names as UTF-8, once (Reading.FieldNames is the one definition of a reading's fields).
    private static readonly byte[][] FieldNamesUtf8 = Array.ConvertAll(Reading.FieldNames, n => System.Text.Encoding.UTF8.GetBytes(n));

    private static int FieldIndex(ref Utf8JsonReader reader)
    {
        for (int i = 0; i < FieldNamesUtf8.Length; i++)
        {
            if (reader.ValueTextEquals(FieldNamesUtf8[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static bool TryUInt(ref Utf8JsonReader reader, uint min, out uint value)
    {
        value = 0;
        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetInt64(out long l) || l < min || l > uint.MaxValue)
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
