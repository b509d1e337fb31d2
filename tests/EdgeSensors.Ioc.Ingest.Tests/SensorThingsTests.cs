using System.Globalization;
using System.Net;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Store;
using EdgeSensors.Ioc.Ingest.Tests.Fixtures;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>
/// A week of readings in the ingest's own store (a real SQLite file, or PostgreSQL), served by the real ingest process.
/// </summary>
public sealed class SensorThingsData : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    public const int WeekReadings = 7 * 288; // every 5 minutes
    public const string Station = "hg-a:n-1";

    private readonly TempDir _dir = new();
    private MosquittoBroker? _mosquitto;

    public IngestProcess Ingest { get; private set; } = null!;

    /// <summary>The salinity the week's station reported at reading <paramref name="i"/> (seq i + 1).</summary>
    public static double Salinity(int i) => Math.Round(0.6 + 0.5 * Math.Sin(i * 2 * Math.PI / 149.0), 3);

    public static long Ts(int i) => Start.ToUnixTimeSeconds() + i * 300L;

    /// <summary>Three stations: a week at hg-a/n-1 (located; every 10th reading without a level), a few at hg-a/n-2 (no location) and hg-b/n-1.</summary>
    public static List<DecodedMessage> Messages()
    {
        var list = new List<DecodedMessage>();
        for (int batch = 0; batch < WeekReadings / 144; batch++)
        {
            var rows = new List<ReadingRow>();
            for (int i = batch * 144; i < (batch + 1) * 144; i++)
            {
                string level = i % 10 == 0 ? string.Empty : $",\"level_m\":{(1.2 + 0.01 * (i % 50)).ToString(CultureInfo.InvariantCulture)}";
                string fields = $"{{\"salinity_ppt\":{Salinity(i).ToString(CultureInfo.InvariantCulture)},\"ec_ms_cm\":1.9,\"water_temp_c\":29.5{level},\"air_pressure_hpa\":1009.1,\"air_temp_c\":31,\"humidity_pct\":74}}";
                rows.Add(new ReadingRow("hg-a", "n-1", 3, i + 1, Ts(i), Ts(i) + 2, true, "good", null, fields));
            }

            list.Add(new DecodedMessage(rows, null, null, null, new StationRow("hg-a", "n-1", 9.7845, 105.4701, "Cống Cái Tư (Vị Thanh)")));
        }

        list.Add(new DecodedMessage(Enumerable.Range(1, 5).Select(s => new ReadingRow("hg-a", "n-2", 1, s, Ts(s), Ts(s), false, "ts_gateway", null, "{\"salinity_ppt\":4.25,\"ec_ms_cm\":7.6}")).ToList(), null, null, null));
        list.Add(new DecodedMessage(Enumerable.Range(1, 5).Select(s => new ReadingRow("hg-b", "n-1", 1, s, Ts(s), Ts(s), true, "good", null, "{\"salinity_ppt\":0.2,\"water_temp_c\":30.1}")).ToList(),
            null, null, null, new StationRow("hg-b", "n-1", 9.92, 105.61, "Kênh Xà No")));
        return list;
    }

    public async Task InitializeAsync()
    {
        string db = Path.Combine(_dir.Path, "ingest.db");
        await using (var store = new SqliteIngestStore(db))
        {
            await store.InitializeAsync(CancellationToken.None);
            foreach (DecodedMessage m in Messages())
            {
                await store.CommitAsync([m], "seed", CancellationToken.None);
            }
        }

        _mosquitto = new MosquittoBroker();
        await _mosquitto.StartAsync();
        Ingest = new IngestProcess("ingest-sta", new Dictionary<string, string>
        {
            ["Ingest:Mqtt:Port"] = _mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Store:SqlitePath"] = db,
        });
        await Ingest.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await Ingest.DisposeAsync();
        if (_mosquitto != null)
        {
            await _mosquitto.DisposeAsync();
        }

        _dir.Dispose();
    }
}

/// <summary>
/// Issue 32: OGC SensorThings API Part 1 (Sensing 1.1), read-only, tested by the standard's requirement classes — the
/// data model and resource paths (Annex A.1) and request data: $top, $skip, $count, $orderby, $select, $expand and
/// $filter with the specification's own examples (A.2) — and by paging through a week of one station.
/// </summary>
public sealed class SensorThingsTests(SensorThingsData data) : IClassFixture<SensorThingsData>
{
    private HttpClient Http => data.Ingest.Http;

    private async Task<JsonElement> Get(string path)
    {
        HttpResponseMessage r = await Http.GetAsync(path);
        string body = await r.Content.ReadAsStringAsync();
        Assert.True(r.IsSuccessStatusCode, $"GET {path}: {(int)r.StatusCode} {body}");
        return JsonDocument.Parse(body).RootElement;
    }

    private async Task<(HttpStatusCode Status, string Message)> Fail(string path)
    {
        HttpResponseMessage r = await Http.GetAsync(path);
        string body = await r.Content.ReadAsStringAsync();
        Assert.False(r.IsSuccessStatusCode, $"GET {path} should have failed: {body}");
        return (r.StatusCode, JsonDocument.Parse(body).RootElement.GetProperty("message").GetString()!);
    }

    private static string PathOf(string link) => new Uri(link).PathAndQuery;

    private static readonly Dictionary<string, string[]> Mandatory = new()
    {
        ["Things"] = ["name", "description"],
        ["Locations"] = ["name", "description", "encodingType", "location"],
        ["HistoricalLocations"] = ["time"],
        ["Datastreams"] = ["name", "description", "unitOfMeasurement", "observationType"],
        ["Sensors"] = ["name", "description", "encodingType", "metadata"],
        ["ObservedProperties"] = ["name", "definition", "description"],
        ["Observations"] = ["phenomenonTime", "result", "resultTime"],
        ["FeaturesOfInterest"] = ["name", "description", "encodingType", "feature"],
    };

    private static readonly Dictionary<string, string[]> Navigations = new()
    {
        ["Things"] = ["Locations", "HistoricalLocations", "Datastreams"],
        ["Locations"] = ["Things", "HistoricalLocations"],
        ["HistoricalLocations"] = ["Thing", "Locations"],
        ["Datastreams"] = ["Thing", "Sensor", "ObservedProperty", "Observations"],
        ["Sensors"] = ["Datastreams"],
        ["ObservedProperties"] = ["Datastreams"],
        ["Observations"] = ["Datastream", "FeatureOfInterest"],
        ["FeaturesOfInterest"] = ["Observations"],
    };

    [Fact]
    public async Task The_service_root_lists_every_entity_set_and_the_conformance_classes()
    {
        JsonElement root = await Get("/sta/v1.1");
        string[] names = root.GetProperty("value").EnumerateArray().Select(v => v.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(Mandatory.Keys.Order(), names.Order());
        foreach (JsonElement v in root.GetProperty("value").EnumerateArray())
        {
            Assert.EndsWith("/sta/v1.1/" + v.GetProperty("name").GetString(), v.GetProperty("url").GetString(), StringComparison.Ordinal);
        }

        string[] conformance = root.GetProperty("serverSettings").GetProperty("conformance").EnumerateArray().Select(c => c.GetString()!).ToArray();
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel", conformance);
        Assert.Contains("http://www.opengis.net/spec/iot_sensing/1.1/req/request-data", conformance);
    }

    [Fact]
    public async Task Every_entity_set_has_its_mandatory_properties_self_links_and_navigation_links_that_resolve()
    {
        foreach ((string set, string[] props) in Mandatory)
        {
            JsonElement page = await Get($"/sta/v1.1/{set}?$top=3");
            JsonElement[] items = page.GetProperty("value").EnumerateArray().ToArray();
            Assert.True(items.Length > 0, $"{set} is empty");
            foreach (JsonElement e in items)
            {
                foreach (string p in props.Append("@iot.id").Append("@iot.selfLink"))
                {
                    Assert.True(e.TryGetProperty(p, out _), $"{set}: {p} missing in {e}");
                }

                foreach (string nav in Navigations[set])
                {
                    Assert.True(e.TryGetProperty(nav + "@iot.navigationLink", out _), $"{set}: {nav}@iot.navigationLink missing");
                }
            }

            // The self link gives the same entity; every navigation link answers.
            JsonElement one = items[0];
            JsonElement self = await Get(PathOf(one.GetProperty("@iot.selfLink").GetString()!));
            Assert.Equal(one.GetProperty("@iot.id").GetString(), self.GetProperty("@iot.id").GetString());
            foreach (string nav in Navigations[set])
            {
                JsonElement target = await Get(PathOf(one.GetProperty(nav + "@iot.navigationLink").GetString()!));
                Assert.True(target.TryGetProperty("value", out _) || target.TryGetProperty("@iot.id", out _), $"{set}/{nav}: {target}");
            }
        }
    }

    [Fact]
    public async Task The_stations_are_things_with_their_locations_and_the_fields_are_datastreams_with_units()
    {
        JsonElement things = await Get("/sta/v1.1/Things?$expand=Locations,Datastreams($select=name,unitOfMeasurement;$orderby=name)");
        JsonElement[] list = things.GetProperty("value").EnumerateArray().ToArray();
        Assert.Equal(["hg-a:n-1", "hg-a:n-2", "hg-b:n-1"], list.Select(t => t.GetProperty("@iot.id").GetString()).Order());
        JsonElement vt = list.Single(t => t.GetProperty("@iot.id").GetString() == SensorThingsData.Station);
        Assert.Equal("Cống Cái Tư (Vị Thanh)", vt.GetProperty("name").GetString());
        JsonElement loc = Assert.Single(vt.GetProperty("Locations").EnumerateArray());
        Assert.Equal("application/geo+json", loc.GetProperty("encodingType").GetString());
        Assert.Equal([105.4701, 9.7845], loc.GetProperty("location").GetProperty("coordinates").EnumerateArray().Select(c => c.GetDouble()));
        Assert.Empty(list.Single(t => t.GetProperty("@iot.id").GetString() == "hg-a:n-2").GetProperty("Locations").EnumerateArray());
        // A station no gateway has located is still a feature of interest, as GeoJSON allows: a Feature without geometry.
        JsonElement unlocated = (await Get("/sta/v1.1/FeaturesOfInterest('hg-a:n-2')")).GetProperty("feature");
        Assert.Equal("Feature", unlocated.GetProperty("type").GetString());
        Assert.Equal(JsonValueKind.Null, unlocated.GetProperty("geometry").ValueKind);

        JsonElement[] streams = vt.GetProperty("Datastreams").EnumerateArray().ToArray();
        Assert.Equal(7, streams.Length);
        JsonElement salinity = streams.Single(s => s.GetProperty("unitOfMeasurement").GetProperty("symbol").GetString() == "‰");
        Assert.Contains("Độ mặn", salinity.GetProperty("name").GetString(), StringComparison.Ordinal);
        Assert.False(salinity.TryGetProperty("@iot.id", out _)); // $select=name,unitOfMeasurement
        Assert.Equal(streams.Select(s => s.GetProperty("name").GetString()).Order(StringComparer.Ordinal), streams.Select(s => s.GetProperty("name").GetString()));

        JsonElement op = await Get("/sta/v1.1/Datastreams('hg-a:n-1:salinity_ppt')/ObservedProperty");
        Assert.EndsWith("#sea_water_practical_salinity", op.GetProperty("definition").GetString(), StringComparison.Ordinal);
        JsonElement sensor = await Get("/sta/v1.1/Datastreams('hg-a:n-1:level_m')/Sensor");
        Assert.Equal("level", sensor.GetProperty("@iot.id").GetString());
    }

    [Fact]
    public async Task A_property_its_raw_value_and_references_are_addressable()
    {
        JsonElement name = await Get("/sta/v1.1/Things('hg-b:n-1')/name");
        Assert.Equal("Kênh Xà No", name.GetProperty("name").GetString());
        Assert.Equal("Kênh Xà No", await Http.GetStringAsync("/sta/v1.1/Things('hg-b:n-1')/name/$value"));

        JsonElement refs = await Get("/sta/v1.1/Things('hg-b:n-1')/Datastreams/$ref");
        Assert.Equal(7, refs.GetProperty("value").GetArrayLength());
        Assert.All(refs.GetProperty("value").EnumerateArray(), r => Assert.Equal(["@iot.selfLink"], r.EnumerateObject().Select(p => p.Name)));

        Assert.Equal(HttpStatusCode.NotFound, (await Fail("/sta/v1.1/Things('nowhere:x')")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Fail("/sta/v1.1/Thingies")).Status);
        Assert.Equal(HttpStatusCode.NotFound, (await Fail("/sta/v1.1/Things('hg-b:n-1')/colour")).Status);
    }

    [Fact]
    public async Task Top_skip_count_and_next_links_page_through_a_collection()
    {
        JsonElement first = await Get("/sta/v1.1/Datastreams?$top=5&$count=true&$orderby=id");
        Assert.Equal(21, first.GetProperty("@iot.count").GetInt32()); // 3 stations × 7 fields
        Assert.Equal(5, first.GetProperty("value").GetArrayLength());
        var ids = new List<string>();
        JsonElement page = first;
        while (true)
        {
            ids.AddRange(page.GetProperty("value").EnumerateArray().Select(d => d.GetProperty("@iot.id").GetString()!));
            if (!page.TryGetProperty("@iot.nextLink", out JsonElement next))
            {
                break;
            }

            page = await Get(PathOf(next.GetString()!));
        }

        Assert.Equal(21, ids.Count);
        Assert.Equal(ids.Order(StringComparer.Ordinal), ids);
        Assert.Equal(ids.Skip(7).Take(3), (await Get("/sta/v1.1/Datastreams?$orderby=id&$skip=7&$top=3")).GetProperty("value").EnumerateArray().Select(d => d.GetProperty("@iot.id").GetString()));
    }

    [Fact]
    public async Task The_specifications_filter_examples_select_what_they_say()
    {
        string ds = "/sta/v1.1/Datastreams('hg-a:n-1:salinity_ppt')/Observations";
        double[] all = Enumerable.Range(0, SensorThingsData.WeekReadings).Select(SensorThingsData.Salinity).ToArray();

        async Task<JsonElement[]> Values(string query) => (await Get(ds + query + "&$top=10000")).GetProperty("value").EnumerateArray().ToArray();

        // §9.3.3.5.1's examples, on this data.
        Assert.Equal(all.Count(v => v < 0.2), (await Values("?$filter=result lt 0.2")).Length);
        Assert.Equal(all.Count(v => v + 5 > 5.9), (await Values("?$filter=result add 5 gt 5.9")).Length);
        Assert.Equal(all.Count(v => Math.Round(v, MidpointRounding.AwayFromZero) == 1), (await Values("?$filter=round(result) eq 1")).Length);
        Assert.Equal(all.Count(v => v >= 0.5 && v <= 0.7), (await Values("?$filter=result ge 0.5 and result le 0.7")).Length);
        Assert.Equal(all.Count(v => v < 0.2 || v > 1.05), (await Values("?$filter=result lt 0.2 or result gt 1.05")).Length);
        Assert.Equal(all.Count(v => !(v < 1)), (await Values("?$filter=not (result lt 1)")).Length);
        Assert.Equal(288, (await Values("?$filter=day(phenomenonTime) eq 3")).Length);
        Assert.Equal(7 * 12, (await Values("?$filter=hour(resultTime) eq 14")).Length);
        Assert.Equal(12, (await Values("?$filter=phenomenonTime ge 2026-11-02T06:00:00Z and phenomenonTime lt 2026-11-02T07:00:00Z")).Length);
        Assert.Equal(12, (await Values("?$filter=phenomenonTime ge 2026-11-02T06:00:00%2B00:00 and phenomenonTime lt 2026-11-02T14:00:00%2B07:00")).Length);

        // String functions on things (the examples' "substringof('room', name)" and friends).
        Assert.Equal(["hg-a:n-1"], (await Get("/sta/v1.1/Things?$filter=substringof('Vị Thanh', name)")).GetProperty("value").EnumerateArray().Select(t => t.GetProperty("@iot.id").GetString()));
        Assert.Equal(["hg-b:n-1"], (await Get("/sta/v1.1/Things?$filter=startswith(name, 'Kênh') and length(name) le 20")).GetProperty("value").EnumerateArray().Select(t => t.GetProperty("@iot.id").GetString()));
        Assert.Equal(2, (await Get("/sta/v1.1/Things?$filter=properties/site eq 'hg-a'")).GetProperty("value").GetArrayLength());
        Assert.Equal(3, (await Get("/sta/v1.1/Datastreams?$filter=ObservedProperty/id eq 'salinity_ppt'")).GetProperty("value").GetArrayLength());
        Assert.Equal(3, (await Get("/sta/v1.1/Datastreams?$filter=unitOfMeasurement/symbol eq '‰'")).GetProperty("value").GetArrayLength());

        // Filters through navigation: the observations of one datastream, of one station, from all observations.
        JsonElement viaFilter = await Get("/sta/v1.1/Observations?$filter=Datastream/id eq 'hg-a:n-1:salinity_ppt' and result gt 1.05&$count=true&$top=1");
        Assert.Equal(all.Count(v => v > 1.05), viaFilter.GetProperty("@iot.count").GetInt32());
        JsonElement viaThing = await Get("/sta/v1.1/Observations?$filter=Datastream/Thing/name eq 'Kênh Xà No'&$count=true&$top=1");
        Assert.Equal(10, viaThing.GetProperty("@iot.count").GetInt32()); // 5 readings × salinity and water temperature
        JsonElement levels = await Get("/sta/v1.1/FeaturesOfInterest('hg-a:n-1')/Observations?$filter=Datastream/ObservedProperty/id eq 'level_m'&$count=true&$top=1");
        Assert.Equal(Enumerable.Range(0, SensorThingsData.WeekReadings).Count(i => i % 10 != 0), levels.GetProperty("@iot.count").GetInt32()); // every 10th had no level

        // Geospatial functions are answered 501; a bad expression or an unknown property 400, with the reason.
        Assert.Equal(HttpStatusCode.NotImplemented, (await Fail("/sta/v1.1/Things?$filter=st_within(Locations/location, geography'POLYGON((105 9, 106 9, 106 10, 105 9))')")).Status);
        (HttpStatusCode status, string message) = await Fail("/sta/v1.1/Observations?$filter=result lt");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("position", message, StringComparison.Ordinal);
        (status, message) = await Fail("/sta/v1.1/Observations?$filter=salinity gt 1");
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("salinity", message, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, (await Fail("/sta/v1.1/Things?$top=-1")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Fail("/sta/v1.1/Things?$expand=Colours")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Fail("/sta/v1.1/Things?$select=colour")).Status);
        Assert.Equal(HttpStatusCode.BadRequest, (await Fail("/sta/v1.1/Things?$frobnicate=1")).Status);
    }

    [Fact]
    public async Task Orderby_and_expand_give_the_latest_reading_of_every_datastream_in_one_request()
    {
        JsonElement latest = await Get($"/sta/v1.1/Datastreams('hg-a:n-1:salinity_ppt')/Observations?$orderby=phenomenonTime desc&$top=1");
        JsonElement last = Assert.Single(latest.GetProperty("value").EnumerateArray());
        Assert.Equal(SensorThingsData.Salinity(SensorThingsData.WeekReadings - 1), last.GetProperty("result").GetDouble());
        Assert.Equal(SensorThingsData.Start.AddMinutes(5 * (SensorThingsData.WeekReadings - 1)).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), last.GetProperty("phenomenonTime").GetString());
        Assert.Equal($"hg-a:n-1:3:{SensorThingsData.WeekReadings}:salinity_ppt", last.GetProperty("@iot.id").GetString());
        Assert.Equal(SensorThingsData.WeekReadings, last.GetProperty("parameters").GetProperty("seq").GetInt64());

        // The dashboard's one request: each station's salinity datastream with its newest observation.
        JsonElement board = await Get("/sta/v1.1/Things?$expand=Datastreams($filter=ObservedProperty/id eq 'salinity_ppt';$expand=Observations($orderby=phenomenonTime desc;$top=1;$select=result,phenomenonTime))");
        Dictionary<string, double> newest = board.GetProperty("value").EnumerateArray().ToDictionary(
            t => t.GetProperty("@iot.id").GetString()!,
            t => Assert.Single(Assert.Single(t.GetProperty("Datastreams").EnumerateArray()).GetProperty("Observations").EnumerateArray()).GetProperty("result").GetDouble());
        Assert.Equal(new Dictionary<string, double> { ["hg-a:n-1"] = last.GetProperty("result").GetDouble(), ["hg-a:n-2"] = 4.25, ["hg-b:n-1"] = 0.2 }, newest);

        // Ordered by result (not time): the highest salinity of the week, then by time for equal values.
        JsonElement highest = await Get("/sta/v1.1/Datastreams('hg-a:n-1:salinity_ppt')/Observations?$orderby=result desc,phenomenonTime asc&$top=2");
        double max = Enumerable.Range(0, SensorThingsData.WeekReadings).Max(SensorThingsData.Salinity);
        Assert.Equal(max, highest.GetProperty("value")[0].GetProperty("result").GetDouble());

        // To-one expansions of an observation, two levels deep.
        JsonElement o = await Get($"/sta/v1.1/Observations('hg-a:n-1:3:1:water_temp_c')?$expand=Datastream($expand=Thing),FeatureOfInterest");
        Assert.Equal(29.5, o.GetProperty("result").GetDouble());
        Assert.Equal(SensorThingsData.Station, o.GetProperty("Datastream").GetProperty("Thing").GetProperty("@iot.id").GetString());
        Assert.Equal("Point", o.GetProperty("FeatureOfInterest").GetProperty("feature").GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_client_pages_through_a_week_of_one_station_and_gets_every_reading_once_in_order()
    {
        string path = "/sta/v1.1/Datastreams('hg-a:n-1:salinity_ppt')/Observations?$filter=phenomenonTime ge 2026-11-01T00:00:00Z and phenomenonTime lt 2026-11-08T00:00:00Z&$orderby=phenomenonTime&$top=500&$count=true";
        var seen = new List<(long Seq, double Result, string Time)>();
        int pages = 0;
        long? count = null;
        string? next = path;
        while (next != null)
        {
            JsonElement page = await Get(next);
            pages++;
            count ??= page.GetProperty("@iot.count").GetInt64();
            seen.AddRange(page.GetProperty("value").EnumerateArray().Select(o => (o.GetProperty("parameters").GetProperty("seq").GetInt64(), o.GetProperty("result").GetDouble(), o.GetProperty("phenomenonTime").GetString()!)));
            next = page.TryGetProperty("@iot.nextLink", out JsonElement n) ? PathOf(n.GetString()!) : null;
        }

        Assert.Equal(SensorThingsData.WeekReadings, count);
        Assert.Equal((SensorThingsData.WeekReadings + 499) / 500, pages);
        Assert.Equal(Enumerable.Range(1, SensorThingsData.WeekReadings).Select(i => (long)i), seen.Select(s => s.Seq));
        Assert.Equal(Enumerable.Range(0, SensorThingsData.WeekReadings).Select(SensorThingsData.Salinity), seen.Select(s => s.Result));
        Assert.Equal(seen.Select(s => s.Time).Order(StringComparer.Ordinal), seen.Select(s => s.Time));
    }

    [Fact]
    public async Task SensorThings_needs_a_token_and_the_dashboard_token_reads_it()
    {
        using var anonymous = new HttpClient { BaseAddress = Http.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/sta/v1.1/Things")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/sta/v1.1")).StatusCode);
        using var dashboard = new HttpClient { BaseAddress = Http.BaseAddress };
        dashboard.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", data.Ingest.Token("dashboard"));
        Assert.Equal(HttpStatusCode.OK, (await dashboard.GetAsync("/sta/v1.1/Things")).StatusCode);
    }
}

/// <summary>The same reads on PostgreSQL, the IOC's production store (its own SQL for the scans).</summary>
public sealed class SensorThingsPostgresTests
{
    [PostgresFact]
    public async Task PostgreSQL_serves_the_same_week_filters_and_stations()
    {
        await using var pg = new PostgresServer();
        await pg.StartAsync();
        await using (var store = new PostgresIngestStore(pg.ConnectionString))
        {
            await store.InitializeAsync(CancellationToken.None);
            foreach (DecodedMessage m in SensorThingsData.Messages())
            {
                await store.CommitAsync([m], "seed", CancellationToken.None);
            }
        }

        await using var mosquitto = new MosquittoBroker();
        await mosquitto.StartAsync();
        await using var ingest = new IngestProcess("ingest-sta-pg", new Dictionary<string, string>
        {
            ["Ingest:Mqtt:Port"] = mosquitto.Port.ToString(CultureInfo.InvariantCulture),
            ["Ingest:Store:Kind"] = "postgres",
            ["Ingest:Store:PostgresConnectionString"] = pg.ConnectionString,
        });
        await ingest.StartAsync();

        JsonElement things = await ingest.GetAsync("/sta/v1.1/Things?$expand=Locations&$orderby=id");
        Assert.Equal(["hg-a:n-1", "hg-a:n-2", "hg-b:n-1"], things.GetProperty("value").EnumerateArray().Select(t => t.GetProperty("@iot.id").GetString()));
        Assert.Equal(9.7845, things.GetProperty("value")[0].GetProperty("Locations")[0].GetProperty("location").GetProperty("coordinates")[1].GetDouble());

        var results = new List<double>();
        string? next = "/sta/v1.1/Datastreams('hg-a:n-1:salinity_ppt')/Observations?$filter=phenomenonTime ge 2026-11-01T00:00:00Z and phenomenonTime lt 2026-11-08T00:00:00Z&$top=1000";
        while (next != null)
        {
            JsonElement page = await ingest.GetAsync(next);
            results.AddRange(page.GetProperty("value").EnumerateArray().Select(o => o.GetProperty("result").GetDouble()));
            next = page.TryGetProperty("@iot.nextLink", out JsonElement n) ? new Uri(n.GetString()!).PathAndQuery : null;
        }

        Assert.Equal(Enumerable.Range(0, SensorThingsData.WeekReadings).Select(SensorThingsData.Salinity), results);
        JsonElement levels = await ingest.GetAsync("/sta/v1.1/Observations?$filter=Datastream/id eq 'hg-a:n-1:level_m' and day(phenomenonTime) eq 2&$count=true&$top=1");
        Assert.Equal(288 - Enumerable.Range(288, 288).Count(i => i % 10 == 0), levels.GetProperty("@iot.count").GetInt32());
        JsonElement latest = await ingest.GetAsync("/sta/v1.1/Observations?$orderby=phenomenonTime desc&$top=1&$filter=FeatureOfInterest/id eq 'hg-b:n-1'");
        Assert.Equal(SensorThingsData.Start.AddMinutes(25).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture), latest.GetProperty("value")[0].GetProperty("phenomenonTime").GetString());
    }
}
