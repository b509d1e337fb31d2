using System.Buffers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Uplink;

/// <summary>Encodes gateway → IOC messages of protocol v1 (docs/protocol.md, docs/schemas/ioc-*.schema.json).</summary>
public sealed class IocMessageEncoder
{
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly string _site;

    public IocMessageEncoder(IOptions<GatewayOptions> options)
    {
        _site = options.Value.Site;
    }

    /// <summary>The site id messages carry.</summary>
    public string Site => _site;

    /// <summary>Readings of one node, with site, receive time, location and quality.</summary>
    public byte[] Readings(string node, NodeRecord? registration, IReadOnlyList<StoredReading> readings)
    {
        Utf8JsonWriter w = Rent(out ArrayBufferWriter<byte> buffer);
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("site", _site);
            w.WriteString("node", node);
            WriteLocation(w, registration);

            w.WriteStartArray("readings");
            foreach (StoredReading r in readings)
            {
                WriteReading(w, r);
            }

            w.WriteEndArray();
            w.WriteEndObject();
            w.Flush();
        }

        // The one copy: the message must own its bytes while it is in flight to the IOC.
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>Forwarded high-water marks (docs/schemas/ioc-marks.schema.json).</summary>
    public byte[] Marks(IEnumerable<(string Node, long Boot, long Seq)> marks, long ts)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("site", _site);
            w.WriteNumber("ts", ts);
            w.WriteStartArray("marks");
            foreach ((string node, long boot, long seq) in marks)
            {
                w.WriteStartObject();
                w.WriteString("node", node);
                w.WriteNumber("boot", boot);
                w.WriteNumber("seq", seq);
                w.WriteEndObject();
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    // Issue 12: the writer and its buffer are reused by each thread (the forwarder's loop encodes one message at a
    // time), so an IOC message costs one exact-size array and no growth copies or writer per message.
    [ThreadStatic]
    private static ArrayBufferWriter<byte>? t_buffer;

    [ThreadStatic]
    private static Utf8JsonWriter? t_writer;

    private static Utf8JsonWriter Rent(out ArrayBufferWriter<byte> buffer)
    {
        buffer = t_buffer ??= new ArrayBufferWriter<byte>(16 * 1024);
        if (buffer.Capacity > 1024 * 1024)
        {
            // One huge message (a drain batch) should not pin a megabyte per thread for ever.
            buffer = t_buffer = new ArrayBufferWriter<byte>(16 * 1024);
            t_writer = null;
        }

        buffer.ResetWrittenCount();
        if (t_writer == null)
        {
            t_writer = new Utf8JsonWriter(buffer, WriterOptions);
        }
        else
        {
            t_writer.Reset(buffer);
        }

        return t_writer;
    }

    /// <summary>
    /// Stamps an alert or gap record that an older gateway queued as wire JSON (before typed records) as it leaves:
    /// the site now, and an alert's location from the node's registration. Records are few; a JSON node tree is fine.
    /// </summary>
    private static readonly JsonSerializerOptions RestampOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public byte[] Restamp(string payload, NodeRecord? registration, bool withLocation)
    {
        if (System.Text.Json.Nodes.JsonNode.Parse(payload) is not System.Text.Json.Nodes.JsonObject o)
        {
            return Encoding.UTF8.GetBytes(payload);
        }

        o["site"] = _site;
        if (withLocation && registration?.Lat is double lat && registration.Lon is double lon && !o.ContainsKey("loc"))
        {
            var loc = new System.Text.Json.Nodes.JsonObject { ["lat"] = lat, ["lon"] = lon };
            if (!string.IsNullOrEmpty(registration.Place))
            {
                loc["name"] = registration.Place;
            }

            // Kept in the documented order: right after "node".
            var ordered = new System.Text.Json.Nodes.JsonObject();
            foreach (var kv in o.ToList())
            {
                o.Remove(kv.Key);
                ordered[kv.Key] = kv.Value;
                if (kv.Key == "node")
                {
                    ordered["loc"] = loc;
                }
            }

            o = ordered;
        }

        return JsonSerializer.SerializeToUtf8Bytes(o, RestampOptions);
    }

    /// <summary>
    /// An outbound record in the wire format (docs/protocol.md, gaps and alerts), stamped as it leaves: the site is the
    /// gateway's site now (a site renamed meanwhile is reported under its new id), and an alert carries the node's
    /// location and place from its registration, right after "node".
    /// </summary>
    public byte[] Encode(OutboundRecord record, NodeRecord? registration)
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartObject();
            w.WriteNumber("v", 1);
            w.WriteString("site", _site);
            switch (record)
            {
                case GapRecord g:
                    w.WriteString("node", g.Node);
                    w.WriteNumber("boot", g.Boot);
                    w.WriteNumber("seq_from", g.SeqFrom);
                    w.WriteNumber("seq_to", g.SeqTo);
                    w.WriteNumber("count", g.Count);
                    w.WriteString("reason", g.Reason);
                    w.WriteNumber("ts", g.Ts);
                    break;
                case AlertStep a:
                    w.WriteString("id", $"{_site}-{a.AlertId:D6}");
                    w.WriteString("node", a.Node);
                    WriteLocation(w, registration);

                    w.WriteString("kind", a.AlertKind);
                    if (a.Profile != null)
                    {
                        w.WriteString("profile", a.Profile);
                    }

                    w.WriteString("level", a.Level);
                    w.WriteString("state", a.State);
                    w.WriteNumber("value", a.AlertKind is "salinity_forecast" or "salinity_upstream" ? Math.Round(a.Value) : Math.Round(a.Value, 3));
                    w.WriteNumber("threshold", Math.Round(a.Threshold, 3));
                    w.WriteString("unit", a.AlertKind switch { "salinity" => "ppt", "salinity_forecast" or "salinity_upstream" => "unix_s", "salinity_rising" => "ppt_per_h", "level_high" or "level_low" => "m", "stale" => "s", "enclosure_temp" => "degC", _ => "" });
                    w.WriteNumber("ts", a.Ts);
                    if (a.By != null)
                    {
                        w.WriteString("by", a.By);
                    }

                    w.WriteString("msg_vi", a.MsgVi);
                    w.WriteString("msg_en", a.MsgEn);
                    break;
                default:
                    throw new ArgumentException($"no wire format for {record.GetType().Name}", nameof(record));
            }

            w.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>"loc" (lat, lon, and the place's name) from the node's registration, when it has coordinates.</summary>
    private static void WriteLocation(Utf8JsonWriter w, NodeRecord? registration)
    {
        if (registration?.Lat is double lat && registration.Lon is double lon)
        {
            w.WriteStartObject("loc");
            w.WriteNumber("lat", lat);
            w.WriteNumber("lon", lon);
            if (!string.IsNullOrEmpty(registration.Place))
            {
                w.WriteString("name", registration.Place);
            }

            w.WriteEndObject();
        }
    }

    private static void WriteReading(Utf8JsonWriter w, StoredReading r)
    {
        w.WriteStartObject();
        w.WriteNumber("boot", r.Boot);
        w.WriteNumber("seq", r.Seq);
        w.WriteNumber("ts", r.Ts);
        w.WriteNumber("rx", r.Rx);
        w.WriteBoolean("sync", r.Sync);
        if (r.NodeTs is long nts)
        {
            w.WriteNumber("node_ts", nts);
        }

        w.WriteString("q", r.Quality);
        w.WritePropertyName("r");
        r.WriteFields(w);
        w.WriteEndObject();
    }
}
