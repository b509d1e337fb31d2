using System.Text.Json;
using BenchmarkDotNet.Attributes;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Bench;

/// <summary>
/// The IOC ingest's decoding of what a gateway really sends (issue 32): a 200-reading message from the gateway's own
/// encoder, decoded with the authority check and the published schema enforced (JsonSchema.Net), against the floor of
/// parsing the same bytes with System.Text.Json alone. Run: dotnet run -c Release --project bench/EdgeSensors.Bench -- micro
/// </summary>
[MemoryDiagnoser]
public class IngestDecodeBenchmarks
{
    private byte[] _message = [];
    private IocMessageDecoder _decoder = null!;

    [GlobalSetup]
    public void Setup()
    {
        var reading = new Reading { SalinityPpt = 1.82, EcMsCm = 3.61, WaterTempC = 28.4, LevelM = 0.82, AirPressureHpa = 1008.2, AirTempC = 31.2, HumidityPct = 71 };
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        byte[] thirty = TelemetryEncoder.Encode("hg-vithanh-012", Enumerable.Range(1, 30).Select(i => new Sample(7, (uint)i, now - 9000 + (i * 300), true, reading)).ToArray(), 3.9, -60, Topics.MaxPayloadBytes, out _);
        StoredReading[] parsed = TelemetryParser.Parse("hg-vithanh-012", thirty, now).Readings.ToArray();
        StoredReading[] readings = Enumerable.Range(0, 200).Select(i => parsed[i % parsed.Length] with { Id = i + 1, Seq = (uint)(i + 1) }).ToArray();
        _message = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-vithanh-gw1" })).Readings("hg-vithanh-012", null, readings);
        _decoder = new IocMessageDecoder(1024 * 1024);
        DecodedMessage check = _decoder.Decode("ioc/hg-vithanh-gw1/hg-vithanh-012/telemetry", _message);
        if (check.Parked != null || check.Readings.Count != 200)
        {
            throw new InvalidOperationException("the gateway's message does not decode: " + check.Parked?.Reason);
        }
    }

    [Benchmark(Baseline = true, Description = "System.Text.Json parse only, 200 readings")]
    public int ParseOnly()
    {
        using JsonDocument doc = JsonDocument.Parse(_message);
        return doc.RootElement.GetProperty("readings").GetArrayLength();
    }

    [Benchmark(Description = "ingest decode with authority and schema, 200 readings")]
    public int Decode() => _decoder.Decode("ioc/hg-vithanh-gw1/hg-vithanh-012/telemetry", _message).Readings.Count;
}
