using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Gateway.Tests.Ingest;

public class TelemetryParserTests
{
    // The protocol's JSON Schema as oracle, loaded once by the fuzzer's library (tests/EdgeSensors.Fuzz).
    private static bool SchemaAccepts(byte[] payload) => EdgeSensors.Fuzz.TelemetryFuzz.SchemaAccepts(payload);

    private static byte[] Good(string node = "hg-a-1", bool sync = true)
    {
        var r = new Reading { SalinityPpt = 2.4, EcMsCm = 4.5, WaterTempC = 29.1, LevelM = 0.5, AirPressureHpa = 1009, AirTempC = 32, HumidityPct = 70 };
        return TelemetryEncoder.Encode(node, [new Sample(77, 1, 1764028800, sync, r), new Sample(77, 2, 1764028860, sync, new Reading { WaterTempC = 29 })], 3.9, -60, 8192, out _);
    }

    [Fact]
    public void A_node_library_payload_parses_into_readings_with_quality()
    {
        TelemetryParseResult r = TelemetryParser.Parse("hg-a-1", Good(), 1764028900);
        Assert.True(r.Ok, r.Error);
        Assert.Equal(2, r.Readings.Count);
        Assert.Equal("good", r.Readings[0].Quality);
        Assert.Equal("partial", r.Readings[1].Quality);
        Assert.Equal(1764028800, r.Readings[0].Ts);
        Assert.Equal("{\"salinity_ppt\":2.4,\"ec_ms_cm\":4.5,\"water_temp_c\":29.1,\"level_m\":0.5,\"air_pressure_hpa\":1009,\"air_temp_c\":32,\"humidity_pct\":70}", r.Readings[0].FieldsJson);
    }

    [Fact]
    public void Unsynced_samples_take_the_receive_time()
    {
        TelemetryParseResult r = TelemetryParser.Parse("hg-a-1", Good(sync: false), 1764028900);
        Assert.All(r.Readings, x => Assert.Equal(1764028900, x.Ts));
        Assert.Equal("ts_gateway", r.Readings[0].Quality);
        Assert.Equal("ts_gateway_partial", r.Readings[1].Quality);
    }

    [Fact]
    public void A_payload_for_another_node_is_refused()
    {
        Assert.False(TelemetryParser.Parse("hg-b-1", Good("hg-a-1"), 0).Ok);
    }

    [Fact]
    public void Parser_and_schema_agree_on_fuzzed_payloads_and_the_parser_never_throws()
    {
        // Mutation fuzzing from valid payloads: whatever the parser accepts, the published schema accepts too
        // (the parser may be stricter, e.g. on duplicate keys, never looser).
        var random = new Random(4);
        byte[] seed = Good();
        string alphabet = "{}[]\":,-.0123456789eEtruefalsnul \\xyz";
        int accepted = 0;
        for (int i = 0; i < 20000; i++)
        {
            byte[] input = (byte[])seed.Clone();
            int edits = random.Next(1, 4);
            for (int e = 0; e < edits; e++)
            {
                int at = random.Next(input.Length);
                switch (random.Next(3))
                {
                    case 0: input[at] = (byte)alphabet[random.Next(alphabet.Length)]; break;
                    case 1: input = [.. input[..at], .. input[(at + 1)..]]; break;
                    default: input = [.. input[..at], (byte)alphabet[random.Next(alphabet.Length)], .. input[at..]]; break;
                }
            }

            TelemetryParseResult r = TelemetryParser.Parse("hg-a-1", input, 1764028900);
            if (r.Ok)
            {
                accepted++;
                Assert.True(SchemaAccepts(input), "parser accepted what the schema refuses: " + Encoding.UTF8.GetString(input));
            }
            else
            {
                Assert.False(string.IsNullOrEmpty(r.Error));
            }
        }

        Assert.True(accepted > 0, "the fuzzer never produced an acceptable payload: it tests nothing");
    }

    [Fact]
    public void Random_bytes_are_refused_with_a_reason()
    {
        var random = new Random(5);
        for (int i = 0; i < 5000; i++)
        {
            byte[] b = new byte[random.Next(0, 300)];
            random.NextBytes(b);
            TelemetryParseResult r = TelemetryParser.Parse("hg-a-1", b, 0);
            Assert.False(r.Ok);
        }
    }
}
