using System.Buffers;
using System.Text.Json;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Gateway.Store;

/// <summary>
/// A reading as the gateway keeps it: identity, times, clock flag and the seven fields of protocol v1 as numbers in
/// wire order (<see cref="Reading.FieldNames"/>), NaN where the node left a field out. Parsed once from the payload;
/// nothing downstream parses it again.
/// </summary>
public sealed record StoredReading(
    long Id,
    string Node,
    uint Boot,
    uint Seq,
    long Ts,
    long Rx,
    bool Sync,
    [property: System.Text.Json.Serialization.JsonIgnore] double[] Values)
{
    /// <summary>The present fields by wire name (what JSON output shows as "r").</summary>
    [System.Text.Json.Serialization.JsonPropertyName("r")]
    public Dictionary<string, double> Fields
    {
        get
        {
            var d = new Dictionary<string, double>(Reading.FieldCount, StringComparer.Ordinal);
            for (int f = 0; f < Values.Length; f++)
            {
                if (!double.IsNaN(Values[f]))
                {
                    d[Reading.FieldNames[f]] = Values[f];
                }
            }

            return d;
        }
    }

    public const int Salinity = 0;
    public const int Level = 3;
    public const int WaterTemp = 2;

    /// <summary>A field's value, or null when absent.</summary>
    public double? Get(int field) => double.IsNaN(Values[field]) ? null : Values[field];

    /// <summary>good, partial, ts_gateway or ts_gateway_partial (docs/protocol.md).</summary>
    public string Quality
    {
        get
        {
            bool partial = false;
            foreach (double v in Values)
            {
                partial |= double.IsNaN(v);
            }

            return NodeTs != null ? (partial ? "ts_implausible_partial" : "ts_implausible")
                : Sync ? (partial ? "partial" : "good") : (partial ? "ts_gateway_partial" : "ts_gateway");
        }
    }

    /// <summary>
    /// The node's own time for a sample it called synced but whose time was implausible (far in the future, or before
    /// the network existed): the reading is then kept at the gateway's receive time, and this says what the node claimed.
    /// </summary>
    [System.Text.Json.Serialization.JsonPropertyName("node_ts")]
    public long? NodeTs { get; init; }

    /// <summary>The fields as a JSON object, for the API and tests (the hot paths write the numbers directly).</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public string FieldsJson
    {
        get
        {
            var buffer = new ArrayBufferWriter<byte>(200);
            using (var w = new Utf8JsonWriter(buffer))
            {
                WriteFields(w);
            }

            return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan);
        }
    }

    /// <summary>Writes the present fields as a JSON object, in wire order.</summary>
    public void WriteFields(Utf8JsonWriter w)
    {
        w.WriteStartObject();
        for (int f = 0; f < Values.Length; f++)
        {
            if (!double.IsNaN(Values[f]))
            {
                w.WriteNumber(Reading.FieldNames[f], Values[f]);
            }
        }

        w.WriteEndObject();
    }

    /// <summary>A value at the protocol's precision: rounded to the field's fixed decimals, as stored.</summary>
    public static double AtPrecision(int field, double value) => Math.Round(value, Reading.FieldDecimals[field], MidpointRounding.AwayFromZero);
}
