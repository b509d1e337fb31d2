using BenchmarkDotNet.Attributes;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Bench;

/// <summary>
/// Micro-benchmarks of the gateway's per-reading hot paths (issue 12): parsing a node's telemetry, and encoding a
/// message for the IOC. Run: dotnet run -c Release --project bench/EdgeSensors.Bench -- micro
/// </summary>
[MemoryDiagnoser]
public class HotPathBenchmarks
{
    private byte[] _one = [];
    private byte[] _thirty = [];
    private StoredReading[] _readings = [];
    private IocMessageEncoder _encoder = null!;
    private StoredReading[] _fleetBatch = [];
    private readonly EdgeSensors.Gateway.Uplink.ForwardedMarks _marks = new();

    [GlobalSetup]
    public void Setup()
    {
        var reading = new Reading { SalinityPpt = 1.82, EcMsCm = 3.61, WaterTempC = 28.4, LevelM = 0.82, AirPressureHpa = 1008.2, AirTempC = 31.2, HumidityPct = 71 };
        _one = TelemetryEncoder.Encode("hg-vithanh-012", [new Sample(7, 1, 1764028800, true, reading)], 3.9, -60, Topics.MaxPayloadBytes, out _);
        _thirty = TelemetryEncoder.Encode("hg-vithanh-012", Enumerable.Range(1, 30).Select(i => new Sample(7, (uint)i, 1764028800 + (i * 300), true, reading)).ToArray(), 3.9, -60, Topics.MaxPayloadBytes, out _);
        _readings = TelemetryParser.Parse("hg-vithanh-012", _thirty, 1764038800).Readings.ToArray();
        _readings = Enumerable.Range(0, 200).Select(i => _readings[i % _readings.Length] with { Id = i + 1, Seq = (uint)(i + 1) }).ToArray();
        _encoder = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-vithanh-gw1" }));
        // An uplink batch as a fleet makes it: 200 readings of 50 nodes.
        _fleetBatch = Enumerable.Range(0, 200).Select(i => _readings[i] with { Id = i + 1, Node = $"hg-vithanh-{i % 50:D3}", Seq = (uint)(i / 50 + 1) }).ToArray();
        _marks.Note(_fleetBatch, long.MaxValue);
    }

    [Benchmark(Description = "forwarded marks: note a 200-reading acknowledged batch of 50 nodes (per batch)")]
    public int NoteMarks()
    {
        _marks.Note(_fleetBatch, long.MaxValue);
        return _marks.Count;
    }

    [Benchmark(Description = "parse 1-sample telemetry")]
    public int ParseOne() => TelemetryParser.Parse("hg-vithanh-012", _one, 1764038800).Readings.Count;

    [Benchmark(Description = "parse 30-sample telemetry (per message)")]
    public int ParseThirty() => TelemetryParser.Parse("hg-vithanh-012", _thirty, 1764038800).Readings.Count;

    [Benchmark(Description = "encode IOC message, 1 reading")]
    public int EncodeOne() => _encoder.Readings("hg-vithanh-012", null, [_readings[0]]).Length;

    [Benchmark(Description = "encode IOC message, 200 readings (per message)")]
    public int EncodeTwoHundred() => _encoder.Readings("hg-vithanh-012", null, _readings).Length;
}
