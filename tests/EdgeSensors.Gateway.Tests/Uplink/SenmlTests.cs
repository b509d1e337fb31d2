using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Gateway.Uplink;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>
/// Issue 13, scope 3: SenML (RFC 8428) as the readings payload. Checked against the RFC's JSON rules, not the
/// encoder's own: a pack is an array of records; labels only from §4.3/§4.4 (bn, bt, bu, bv, bver, n, u, v, vs, vb,
/// vd, s, t, ut); exactly one value per record; names (base name + name) match §4.5.1's pattern; units from the
/// registry (§12.1). With SenML on, every reading still carries its (boot, seq).
/// </summary>
public sealed partial class SenmlTests
{
    private static readonly HashSet<string> Labels = ["bn", "bt", "bu", "bv", "bver", "n", "u", "v", "vs", "vb", "vd", "s", "t", "ut"];
    private static readonly HashSet<string> RegistryUnits = ["Cel", "m", "Pa", "S/m", "%RH"];

    [GeneratedRegex("^[A-Za-z0-9][-:./_A-Za-z0-9]*$")]
    private static partial Regex NamePattern();

    /// <summary>Resolves a pack as RFC 8428 §4.6 does; fails on anything the RFC does not allow.</summary>
    public static List<(string Name, long Time, JsonElement Record)> Resolve(JsonElement pack)
    {
        Assert.Equal(JsonValueKind.Array, pack.ValueKind);
        var resolved = new List<(string, long, JsonElement)>();
        string bn = string.Empty;
        long bt = 0;
        foreach (JsonElement r in pack.EnumerateArray())
        {
            Assert.Equal(JsonValueKind.Object, r.ValueKind);
            foreach (JsonProperty p in r.EnumerateObject())
            {
                Assert.Contains(p.Name, Labels);
            }

            bn = r.TryGetProperty("bn", out JsonElement b) ? b.GetString()! : bn;
            bt = r.TryGetProperty("bt", out JsonElement btv) ? btv.GetInt64() : bt;
            int values = new[] { "v", "vs", "vb", "vd" }.Count(k => r.TryGetProperty(k, out _));
            Assert.Equal(1, values);
            if (r.TryGetProperty("v", out JsonElement v))
            {
                Assert.Equal(JsonValueKind.Number, v.ValueKind);
            }

            if (r.TryGetProperty("u", out JsonElement u))
            {
                Assert.Contains(u.GetString()!, RegistryUnits);
            }

            string name = bn + (r.TryGetProperty("n", out JsonElement n) ? n.GetString() : string.Empty);
            Assert.Matches(NamePattern(), name);
            long t = r.TryGetProperty("t", out JsonElement tv) ? tv.GetInt64() : 0;
            // §4.5.3: a time under 2^28 is relative to the base time.
            resolved.Add((name, t < (1L << 28) ? bt + t : t, r));
        }

        return resolved;
    }

    [Fact]
    public void A_pack_follows_RFC_8428_and_every_reading_keeps_its_id_and_time()
    {
        var readings = new List<StoredReading>
        {
            new(1, "hg-senml-1", 7, 41, 1764028800, 1764028805, true, [1.82, 3.61, 28.4, 0.82, 1008.2, 31.2, 71]),
            new(2, "hg-senml-1", 7, 42, 1764028860, 1764028865, true, [1.9, double.NaN, 28.5, 0.84, double.NaN, double.NaN, double.NaN]),
        };
        using JsonDocument doc = JsonDocument.Parse(SenmlEncoder.Encode("hg-site", "hg-senml-1", readings));
        var records = Resolve(doc.RootElement);

        var ids = records.Where(r => r.Name.EndsWith(":id", StringComparison.Ordinal)).ToList();
        Assert.Equal(["7:41", "7:42"], ids.Select(r => r.Record.GetProperty("vs").GetString()!).ToArray());
        Assert.Equal([1764028800L, 1764028860L], ids.Select(r => r.Time).ToArray());
        Assert.All(records, r => Assert.StartsWith("urn:dev:edgesensors:hg-site:hg-senml-1:", r.Name, StringComparison.Ordinal));

        var first = records.Where(r => r.Time == 1764028800).ToDictionary(r => r.Name[(r.Name.LastIndexOf(':') + 1)..], r => r.Record);
        Assert.Equal(1.82, first["salinity_pss78"].GetProperty("v").GetDouble());
        Assert.False(first["salinity_pss78"].TryGetProperty("u", out _), "no registry unit for practical salinity");
        Assert.Equal(0.361, first["conductivity"].GetProperty("v").GetDouble(), 9); // 3.61 mS/cm in S/m
        Assert.Equal("S/m", first["conductivity"].GetProperty("u").GetString());
        Assert.Equal(100820, first["air_pressure"].GetProperty("v").GetDouble(), 6); // 1008.2 hPa in Pa
        Assert.Equal("Cel", first["water_temperature"].GetProperty("u").GetString());
        Assert.Equal("good", first["quality"].GetProperty("vs").GetString());

        // Absent fields are absent, not invented.
        var second = records.Where(r => r.Time == 1764028860).Select(r => r.Name[(r.Name.LastIndexOf(':') + 1)..]).ToHashSet();
        Assert.DoesNotContain("conductivity", second);
        Assert.DoesNotContain("humidity", second);
        Assert.Equal("partial", records.Single(r => r.Time == 1764028860 && r.Name.EndsWith(":quality", StringComparison.Ordinal)).Record.GetProperty("vs").GetString());
    }

    [Fact]
    public async Task With_SenML_on_every_acknowledged_reading_reaches_the_IOC_with_its_id_as_application_senml_json()
    {
        await using ChainRig rig = await ChainRig.StartAsync(new Dictionary<string, string> { ["Uplink:Payload"] = "senml" });
        await using TestNode node = await rig.ConnectNodeAsync("hg-senml-2");
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample(), node.NextSample())).IsSuccess);
        }

        string[] expected = node.Acknowledged.Select(s => $"{node.Boot}:{s}").Order().ToArray();
        Assert.Equal(15, expected.Length);
        var seen = new HashSet<string>();
        await rig.Recorder.WaitForAsync(r =>
        {
            seen.Clear();
            foreach ((string topic, string payload) in r.Messages.ToArray())
            {
                if (topic == "ioc/test-site/hg-senml-2/telemetry")
                {
                    using JsonDocument d = JsonDocument.Parse(payload);
                    foreach (var rec in Resolve(d.RootElement).Where(x => x.Name.EndsWith(":id", StringComparison.Ordinal)))
                    {
                        seen.Add(rec.Record.GetProperty("vs").GetString()!);
                    }
                }
            }

            return expected.All(seen.Contains);
        }, TimeSpan.FromSeconds(30), "every reading's id in SenML");
        Assert.Equal(expected, seen.Order().ToArray());
    }

    [Fact]
    public async Task An_unknown_payload_option_stops_the_gateway_naming_it()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, 1883, new Dictionary<string, string> { ["Uplink:Payload"] = "xml" });
        int code = await gateway.RunToExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, code);
        Assert.Contains("Uplink:Payload is v1 or senml", gateway.Output, StringComparison.Ordinal);
    }
}
