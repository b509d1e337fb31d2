using System.Globalization;
using System.Text.Json;
using CsCheck;
using EdgeSensors.Ioc.Ingest.Decoding;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>
/// The ingest's compiled schema check (<see cref="SchemaSubset"/>, the fast path) gives the same verdict as the
/// reference library, JsonSchema.Net, on generated messages near and across every rule of docs/schemas.
/// </summary>
public sealed class SchemaSubsetTests
{
    private static readonly string[] Names = ["hg-a", "hg-vithanh", "HG B!<x>", "", "a", "-bad", "n-1", new string('a', 65), "ok-9"];
    private static readonly string[] Qualities = ["good", "partial", "ts_gateway", "ts_gateway_partial", "ts_implausible", "ts_implausible_partial", "bogus", ""];
    private static readonly string[] Fields = ["salinity_ppt", "ec_ms_cm", "water_temp_c", "level_m", "air_pressure_hpa", "air_temp_c", "humidity_pct", "<script>", "note"];
    private static readonly string[] Numbers = ["0", "1", "-1", "1.5", "999", "4294967295", "4294967296", "50", "50.0001", "-2", "-2.5", "1100", "800", "\"1\"", "null", "true", "1e3"];

    private static string Pick(string[] a, int i) => a[i % a.Length];

    private static string Str(string s) => JsonSerializer.Serialize(s);

    private static readonly Gen<string> Reading =
        Gen.Select(Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 1000], Gen.Int[0, 40], Gen.Int[0, 1000], Gen.Int[0, 3]).Select((a, b, c, d, e, f) =>
        {
            var parts = new List<string>();
            if (a % 11 != 0) { parts.Add("\"boot\":" + (a % 5 == 0 ? Pick(Numbers, a) : "3")); }
            if (b % 13 != 0) { parts.Add("\"seq\":" + (b % 6 == 0 ? Pick(Numbers, b) : "41")); }
            if (c % 17 != 0) { parts.Add("\"ts\":" + (c % 7 == 0 ? Pick(Numbers, c) : "1767225600")); }
            parts.Add("\"rx\":1767225601");
            if (a % 19 != 0) { parts.Add("\"sync\":" + (a % 9 == 0 ? "1" : "true")); }
            if (b % 23 != 0) { parts.Add("\"q\":" + Str(b % 3 == 0 ? Pick(Qualities, b) : "good")); }
            if (c % 29 == 0) { parts.Add("\"node_ts\":" + Pick(Numbers, c)); }
            if (e % 31 == 0) { parts.Add("\"extra\":1"); }
            if (f != 0)
            {
                var fields = new Dictionary<string, string>();
                for (int k = 0; k < d % 8; k++)
                {
                    string name = Pick(Fields, (e + k) % 12 == 0 ? e + k : k);
                    fields[name] = (e + k) % 4 == 0 ? Pick(Numbers, e + k) : "1.5"; // a key once: the decoder refuses duplicates before any schema
                }

                parts.Add("\"r\":{" + string.Join(",", fields.Select(f => $"{Str(f.Key)}:{f.Value}")) + "}");
            }

            return "{" + string.Join(",", parts) + "}";
        });

    private static readonly Gen<string> ReadingsMessage =
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Reading.Array[0, 4], Gen.Int[0, 20]).Select((s, n, readings, v) =>
            "{" + (v == 0 ? string.Empty : $"\"v\":{(v == 1 ? "2" : "1")},") + $"\"site\":{Str(s % 4 == 0 ? Pick(Names, s) : "hg-a")},\"node\":{Str(n % 4 == 0 ? Pick(Names, n) : "n-1")}," +
            (s % 7 == 0 ? "\"loc\":{\"lat\":" + Pick(Numbers, n) + ",\"lon\":105.4}," : string.Empty) +
            "\"readings\":[" + string.Join(",", readings) + "]}");

    private static readonly Gen<string> Gap =
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 100]).Select((a, b, c) =>
            $"{{\"v\":1,\"site\":{Str(a % 3 == 0 ? Pick(Names, a) : "hg-a")},\"node\":\"n-1\",\"boot\":{(b % 3 == 0 ? Pick(Numbers, b) : "2")},\"seq_from\":10,\"seq_to\":{(c % 4 == 0 ? Pick(Numbers, c) : "19")},\"count\":10,\"reason\":{Str(c % 5 == 0 ? "made_up" : "store_full")},\"ts\":1767225600{(a % 11 == 0 ? ",\"x\":1" : string.Empty)}}}");

    private static readonly Gen<string> Alert =
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 100]).Select((a, b, c) =>
            $"{{\"v\":1,\"site\":\"hg-a\",\"id\":{Str(a % 9 == 0 ? string.Empty : "a-1")},\"node\":\"n-1\",\"kind\":{Str(b % 4 == 0 ? "made_up" : "salinity_forecast")},\"level\":{Str(c % 5 == 0 ? "none" : "watch")},\"state\":\"raised\",\"value\":{Pick(Numbers, a)},\"threshold\":1.0,\"unit\":{Str(b % 6 == 0 ? "furlong" : "unix_s")},\"ts\":1767225600,\"msg_vi\":{Str(c % 7 == 0 ? new string('x', 501) : "x")},\"msg_en\":\"y\"}}");

    private static readonly Gen<string> Marks =
        Gen.Select(Gen.Int[0, 100], Gen.Int[0, 100], Gen.Int[0, 4]).Select((a, b, n) =>
            $"{{\"v\":1,\"site\":{Str(Pick(Names, a % 7 == 0 ? a : 0))},\"ts\":{(b % 9 == 0 ? Pick(Numbers, b) : "1767225600")},\"marks\":[" +
            string.Join(",", Enumerable.Range(0, n).Select(k => $"{{\"node\":{Str(Pick(Names, (a + k) % 5 == 0 ? a + k : 6))},\"boot\":{((b + k) % 4 == 0 ? Pick(Numbers, b + k) : "2")},\"seq\":{((a + k) % 3 == 0 ? Pick(Numbers, a + k) : "120")}{((a + b + k) % 11 == 0 ? ",\"x\":1" : "")}}}")) + "]}");

    [Fact]
    public void Every_message_schema_is_compiled()
    {
        Assert.True(IocMessageDecoder.IsCompiled("ioc-marks"));
        Assert.True(IocMessageDecoder.IsCompiled("ioc-readings"));
        Assert.True(IocMessageDecoder.IsCompiled("ioc-alert"));
        Assert.True(IocMessageDecoder.IsCompiled("ioc-gap"));
    }

    [Theory]
    [InlineData("ioc-readings")]
    [InlineData("ioc-gap")]
    [InlineData("ioc-alert")]
    [InlineData("ioc-marks")]
    public void The_compiled_check_and_the_library_agree_on_generated_messages(string schema)
    {
        Gen<string> gen = schema switch { "ioc-readings" => ReadingsMessage, "ioc-gap" => Gap, "ioc-marks" => Marks, _ => Alert };
        int valid = 0, invalid = 0;
        gen.Sample(json =>
        {
            using JsonDocument doc = JsonDocument.Parse(json);
            bool library = IocMessageDecoder.LibraryAccepts(schema, doc.RootElement);
            bool subset = IocMessageDecoder.SubsetAccepts(schema, doc.RootElement);
            Interlocked.Increment(ref library ? ref valid : ref invalid);
            return library == subset;
        }, iter: 3000);

        // Both verdicts were exercised, not only one.
        Assert.True(valid > 50 && invalid > 50, string.Create(CultureInfo.InvariantCulture, $"{valid} valid, {invalid} invalid"));
    }
}
