using System.Globalization;
using System.Text;
using CsCheck;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Fuzz;

/// <summary>
/// CsCheck generators of node telemetry: documents shaped like protocol v1 with every field sometimes missing,
/// duplicated, mistyped, out of range or unknown; byte-level mutations of them (flips, insertions, deletions,
/// truncation, invalid UTF-8); and raw bytes.
/// </summary>
public static class TelemetryGen
{
    public const string Node = "hg-fuzz-01";

    private static readonly Gen<string> OddNumber = Gen.OneOf<string>(
        "1e400", "-1e400", "-0", "4294967296", "4294967295", "1.0", "1.5e3", "01", "0x10", "NaN", "Infinity", "-", "1e", "9223372036854775808", "0.00000000000000000000001");

    private static readonly Gen<string> Str = Gen.OneOf(
        Gen.Const("\"" + Node + "\""),
        Gen.Const("\"\\u0068g-fuzz-01\""),
        Gen.Const("\"hg-fuzz-02\""),
        Gen.Const("\"\\ud800\""),
        Gen.Const("\"\""),
        Gen.String[Gen.Char["abcxyz-_0189\\\"é"], 0, 12].Select(s => "\"" + s + "\""));

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Int[-10, 100000].Select(i => i.ToString(CultureInfo.InvariantCulture)),
        Gen.Double[-1e6, 1e6].Select(d => d.ToString("R", CultureInfo.InvariantCulture)),
        OddNumber, Str, Gen.OneOf<string>("true", "false", "null", "{}", "[]", "[1]", "{\"a\":1}"));

    private static Gen<string> Field(Gen<string> good) => Gen.Frequency((60, good), (1, Scalar));

    private static Gen<string> Range(double min, double max, int decimals) =>
        Gen.Frequency(
            (120, Gen.Double[min, max].Select(d => Math.Round(d, decimals).ToString("R", CultureInfo.InvariantCulture))),
            (1, Gen.Double[max, max * 3 + 10].Select(d => d.ToString("R", CultureInfo.InvariantCulture))),
            (1, Gen.Double[min - 100, min].Select(d => d.ToString("R", CultureInfo.InvariantCulture))));

    private static Gen<string> Obj(params (string Name, Gen<string> Value)[] fields) =>
        Gen.Select(
            Gen.Frequency((50, Gen.Const(true)), (1, Gen.Const(false))).Array[fields.Length],
            Gen.Int[0, fields.Length - 1].Array[fields.Length],
            Gen.Frequency((60, Gen.Const(0)), (1, Gen.Const(1)), (1, Gen.Const(2))),
            (present, order, extra) => (present, order, extra))
        .SelectMany(t => AllValues(fields).Select(values =>
        {
            var parts = new List<string>();
            for (int i = 0; i < fields.Length; i++)
            {
                // Most fields present; a few left out.
                if (t.present[i])
                {
                    parts.Add($"\"{fields[i].Name}\":{values[i]}");
                }
            }

            // Shuffle the order a little, as a document from anyone but our own encoder might be.
            for (int i = 0; i < parts.Count && i < t.order.Length; i++)
            {
                int j = t.order[i] % parts.Count;
                (parts[i], parts[j]) = (parts[j], parts[i]);
            }

            if (t.extra == 1 && parts.Count > 0)
            {
                parts.Add(parts[0]); // a duplicate key
            }
            else if (t.extra == 2)
            {
                parts.Add("\"unknown\":1");
            }

            return "{" + string.Join(",", parts) + "}";
        }));

    private static Gen<string[]> AllValues((string Name, Gen<string> Value)[] fields)
    {
        Gen<string[]> acc = Gen.Const(Array.Empty<string>());
        foreach ((string _, Gen<string> value) in fields)
        {
            acc = acc.SelectMany(a => value.Select(v => (string[])[.. a, v]));
        }

        return acc;
    }

    private static readonly Gen<string> Readings = Obj(
        Enumerable.Range(0, Reading.FieldCount)
            .Select(f => (Reading.FieldNames[f], Range(Reading.FieldMin[f], Reading.FieldMax[f], Reading.FieldDecimals[f])))
            .ToArray());

    private static readonly Gen<string> SampleDoc = Obj(
        ("seq", Field(Gen.Int[1, 60].Select(i => i.ToString(CultureInfo.InvariantCulture)))),
        ("ts", Field(Gen.Frequency((8, Gen.Long[1_764_000_000, 1_765_000_000]), (1, Gen.Long[0, 4_102_444_800])).Select(l => l.ToString(CultureInfo.InvariantCulture)))),
        ("sync", Field(Gen.OneOf<string>("true", "false"))),
        ("r", Gen.Frequency((60, Readings), (1, Scalar))));

    /// <summary>Telemetry-shaped documents.</summary>
    public static readonly Gen<string> Document = Obj(
        ("v", Field(Gen.Const("1"))),
        ("node", Field(Gen.Const("\"" + Node + "\""))),
        ("boot", Field(Gen.Int[1, 3].Select(i => i.ToString(CultureInfo.InvariantCulture)))),
        ("samples", Gen.Frequency(
            (40, SampleDoc.Array[1, 4].Select(s => "[" + string.Join(",", s) + "]")),
            (1, Gen.OneOf(Gen.Const("[]"), Scalar)))),
        ("bat_v", Field(Range(0, 20, 2))),
        ("rssi_dbm", Field(Gen.Int[-127, 0].Select(i => i.ToString(CultureInfo.InvariantCulture)))));

    /// <summary>A document with 1–4 byte-level edits.</summary>
    public static readonly Gen<byte[]> Mutated =
        Gen.Select(Document, Gen.Int[0, 4].Array[1, 4], Gen.Int[0, int.MaxValue].Array[4], Gen.Byte.Array[4])
            .Select(t => Mutate(Encoding.UTF8.GetBytes(t.Item1), t.Item2, t.Item3, t.Item4));

    /// <summary>Everything: documents, mutations, raw bytes.</summary>
    public static readonly Gen<byte[]> Payload = Gen.Frequency(
        (5, Document.Select(Encoding.UTF8.GetBytes)),
        (4, Mutated),
        (1, Gen.Byte.Array[0, 300]));

    private static byte[] Mutate(byte[] input, int[] kinds, int[] positions, byte[] bytes)
    {
        const string Json = "{}[]\":,-.0123456789eE \\";
        var b = new List<byte>(input);
        for (int i = 0; i < kinds.Length && b.Count > 0; i++)
        {
            int at = positions[i % positions.Length] % b.Count;
            byte x = bytes[i % bytes.Length];
            switch (kinds[i])
            {
                case 0: b[at] = (byte)Json[x % Json.Length]; break;
                case 1: b.RemoveAt(at); break;
                case 2: b.Insert(at, (byte)Json[x % Json.Length]); break;
                case 3: b.RemoveRange(at, b.Count - at); break; // truncated
                default: b[at] = (byte)(0x80 | x); break; // invalid UTF-8 most of the time
            }
        }

        return [.. b];
    }
}
