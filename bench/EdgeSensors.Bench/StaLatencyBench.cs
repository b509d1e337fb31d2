using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Store;

namespace EdgeSensors.Bench;

/// <summary>
/// Issue 32: SensorThings query latency on the ingest process, for a week of one station among 12 (every 5 minutes,
/// all seven fields), on SQLite and on PostgreSQL: the median and 95th percentile of each request a data hub or a
/// dashboard makes.
/// </summary>
public static class StaLatencyBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly (string Name, string Path, bool Page)[] Requests =
    [
        ("a week of one station's salinity, paged by 1,000 (3 requests)", "/sta/v1.1/Datastreams('hg-a:n-00:salinity_ppt')/Observations?$filter=phenomenonTime ge 2026-11-01T00:00:00Z and phenomenonTime lt 2026-11-08T00:00:00Z&$top=1000", true),
        ("the same week, all seven fields of the station (FeatureOfInterest), paged by 1,000 (15 requests)", "/sta/v1.1/FeaturesOfInterest('hg-a:n-00')/Observations?$filter=phenomenonTime ge 2026-11-01T00:00:00Z and phenomenonTime lt 2026-11-08T00:00:00Z&$top=1000", true),
        ("one datastream's newest observation", "/sta/v1.1/Datastreams('hg-a:n-00:salinity_ppt')/Observations?$orderby=phenomenonTime desc&$top=1", false),
        ("every station's newest salinity in one request ($expand)", "/sta/v1.1/Things?$expand=Datastreams($filter=ObservedProperty/id eq 'salinity_ppt';$expand=Observations($orderby=phenomenonTime desc;$top=1))", false),
        ("the week's readings above 1 ‰, counted (first 100)", "/sta/v1.1/Datastreams('hg-a:n-00:salinity_ppt')/Observations?$filter=phenomenonTime ge 2026-11-01T00:00:00Z and result gt 1&$count=true&$top=100", false),
        ("the last page of the week by $skip (2,000 of 2,016)", "/sta/v1.1/Datastreams('hg-a:n-00:salinity_ppt')/Observations?$filter=phenomenonTime ge 2026-11-01T00:00:00Z&$skip=2000&$top=100", false),
    ];

    public static async Task<int> RunAsync(int repeats, string? results)
    {
        var lines = new List<string>();
        using var dir = new TempDir();
        string sqlite = Path.Combine(dir.Path, "ingest.db");
        await using (var store = new SqliteIngestStore(sqlite))
        {
            await FillAsync(store);
        }

        await using var mosquitto = new MosquittoBroker();
        await mosquitto.StartAsync();
        await using (var ingest = new IngestProcess("sta-sqlite", new Dictionary<string, string>
        {
            ["Ingest:Mqtt:Port"] = mosquitto.Port.ToString(C),
            ["Ingest:Store:SqlitePath"] = sqlite,
            ["Logging:LogLevel:Default"] = "Warning",
        }))
        {
            await ingest.StartAsync();
            lines.AddRange(await MeasureAsync(ingest, "SQLite", repeats));
        }

        if (PostgresServer.Missing == null)
        {
            await using var pg = new PostgresServer();
            await pg.StartAsync();
            await using (var store = new PostgresIngestStore(pg.ConnectionString))
            {
                await FillAsync(store);
            }

            await using var ingest = new IngestProcess("sta-pg", new Dictionary<string, string>
            {
                ["Ingest:Mqtt:Port"] = mosquitto.Port.ToString(C),
                ["Ingest:Store:Kind"] = "postgres",
                ["Ingest:Store:PostgresConnectionString"] = pg.ConnectionString,
                ["Logging:LogLevel:Default"] = "Warning",
            });
            await ingest.StartAsync();
            lines.AddRange(await MeasureAsync(ingest, "PostgreSQL", repeats));
        }

        await BenchTable.WriteAsync(
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, 12 stations × 7 days × 288 readings × 7 fields, {repeats} runs of each request after 3 warm-ups, HTTP on loopback",
            "| store | request | entities returned | median | 95th percentile |", lines, results);
        return 0;
    }

    private static async Task FillAsync(IIngestStore store)
    {
        await store.InitializeAsync(CancellationToken.None);
        for (int n = 0; n < 12; n++)
        {
            var rows = new List<ReadingRow>();
            for (int i = 0; i < 7 * 288; i++)
            {
                long ts = Start.ToUnixTimeSeconds() + i * 300L;
                double salinity = Math.Round(0.6 + 0.5 * Math.Sin((i + n * 7) * 2 * Math.PI / 149.0), 3);
                rows.Add(new ReadingRow("hg-a", $"n-{n:D2}", 1, i + 1, ts, ts + 2, true, "good", null,
                    string.Create(C, $"{{\"salinity_ppt\":{salinity},\"ec_ms_cm\":1.9,\"water_temp_c\":29.5,\"level_m\":1.21,\"air_pressure_hpa\":1009.1,\"air_temp_c\":31,\"humidity_pct\":74}}")));
            }

            for (int k = 0; k < rows.Count; k += 144)
            {
                await store.CommitAsync([new DecodedMessage(rows.GetRange(k, 144), null, null, null, new StationRow("hg-a", $"n-{n:D2}", 9.78 + n * 0.01, 105.47, $"Trạm {n}"))], "bench", CancellationToken.None);
            }
        }
    }

    private static async Task<List<string>> MeasureAsync(IngestProcess ingest, string storeName, int repeats)
    {
        var lines = new List<string>();
        foreach ((string name, string path, bool follow) in Requests)
        {
            int observations = 0;
            async Task<double> Once()
            {
                var sw = Stopwatch.StartNew();
                string? next = path;
                int seen = 0;
                while (next != null)
                {
                    JsonElement page = await ingest.GetAsync(next);
                    JsonElement value = page.GetProperty("value");
                    seen += value.GetArrayLength() + value.EnumerateArray().Sum(t => t.TryGetProperty("Datastreams", out JsonElement d) ? d.EnumerateArray().Sum(x => x.GetProperty("Observations").GetArrayLength()) : 0);
                    next = follow && page.TryGetProperty("@iot.nextLink", out JsonElement n) ? new Uri(n.GetString()!).PathAndQuery : null;
                }

                observations = seen;
                return sw.Elapsed.TotalMilliseconds;
            }

            for (int i = 0; i < 3; i++)
            {
                await Once();
            }

            var times = new List<double>();
            for (int i = 0; i < repeats; i++)
            {
                times.Add(await Once());
            }

            times.Sort();
            double median = times[times.Count / 2], p95 = times[Math.Min(times.Count - 1, (int)Math.Ceiling(times.Count * 0.95) - 1)];
            string line = string.Create(C, $"| {storeName} | {name} | {observations:N0} | {median:0.0} ms | {p95:0.0} ms |");
            Console.WriteLine(line);
            lines.Add(line);
        }

        return lines;
    }
}
