using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Uplink;

/// <summary>
/// Readings as a SenML pack (RFC 8428, application/senml+json) for IOC platforms that speak it (issue 13,
/// `Uplink:Payload=senml`). The base name is <c>urn:dev:edgesensors:{site}:{node}:</c> and the base time the first
/// reading's; each reading gives one record per present field, at its time, with units from the SenML registry
/// (Cel, m, Pa, S/m, %RH — pressure and conductivity converted to them), and two more records so that the IOC can
/// still drop duplicates and judge quality: <c>id</c> with the string value "{boot}:{seq}" and <c>quality</c>.
/// Practical salinity (PSS-78) is dimensionless and the registry has no unit for it: its record is named
/// <c>salinity_pss78</c> and carries no "u" (documented in docs/protocol.md). Hand-written because no SenML library
/// for .NET is served here; the format is a flat JSON array.
/// </summary>
public static class SenmlEncoder
{
    public const string ContentType = "application/senml+json";

    // Wire-order field index → SenML name, registry unit (null: none), factor from the stored unit.
    private static readonly (string Name, string? Unit, double Factor)[] Fields =
    [
        ("salinity_pss78", null, 1),
        ("conductivity", "S/m", 0.1), // mS/cm → S/m
        ("water_temperature", "Cel", 1),
        ("level", "m", 1),
        ("air_pressure", "Pa", 100), // hPa → Pa
        ("air_temperature", "Cel", 1),
        ("humidity", "%RH", 1),
    ];

    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static byte[] Encode(string site, string node, IReadOnlyList<StoredReading> readings)
    {
        var buffer = new ArrayBufferWriter<byte>(128 + (readings.Count * 400));
        using (var w = new Utf8JsonWriter(buffer, WriterOptions))
        {
            w.WriteStartArray();
            long bt = readings.Count > 0 ? readings[0].Ts : 0;
            bool first = true;
            foreach (StoredReading r in readings)
            {
                long t = r.Ts - bt;
                w.WriteStartObject();
                if (first)
                {
                    w.WriteString("bn", $"urn:dev:edgesensors:{site}:{node}:");
                    w.WriteNumber("bt", bt);
                    first = false;
                }

                w.WriteString("n", "id");
                w.WriteString("vs", $"{r.Boot}:{r.Seq}");
                WriteTime(w, t);
                w.WriteEndObject();

                w.WriteStartObject();
                w.WriteString("n", "quality");
                w.WriteString("vs", r.Quality);
                WriteTime(w, t);
                w.WriteEndObject();

                for (int f = 0; f < Fields.Length && f < r.Values.Length; f++)
                {
                    double v = r.Values[f];
                    if (double.IsNaN(v))
                    {
                        continue;
                    }

                    w.WriteStartObject();
                    w.WriteString("n", Fields[f].Name);
                    if (Fields[f].Unit is string u)
                    {
                        w.WriteString("u", u);
                    }

                    w.WriteNumber("v", Math.Round(v * Fields[f].Factor, 6));
                    WriteTime(w, t);
                    w.WriteEndObject();
                }
            }

            w.WriteEndArray();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static void WriteTime(Utf8JsonWriter w, long t)
    {
        if (t != 0)
        {
            w.WriteNumber("t", t);
        }
    }
}
