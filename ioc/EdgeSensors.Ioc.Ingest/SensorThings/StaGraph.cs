using System.Globalization;
using System.Text.Json.Nodes;
using EdgeSensors.Ioc.Ingest.Decoding;

namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>
/// The small part of the model (Things, Locations, HistoricalLocations, Datastreams, Sensors, ObservedProperties,
/// FeaturesOfInterest), built for one request from the stations table; Observations are made from readings as they are
/// scanned. Ids: a station is <c>site:node</c>, a datastream <c>site:node:field</c>, an observation
/// <c>site:node:boot:seq:field</c> — the IOC's own reading id, so a client can match what it pulls with the completeness report.
/// </summary>
public sealed class StaGraph
{
    private readonly Dictionary<string, Dictionary<string, StaEntity>> _sets = new(StringComparer.Ordinal);

    public StaGraph(IReadOnlyList<Station> stations)
    {
        foreach (StaSetDef set in StaModel.Sets)
        {
            _sets[set.Name] = new Dictionary<string, StaEntity>(StringComparer.Ordinal);
        }

        foreach (StaSensor s in StaCatalog.Sensors)
        {
            Add(new StaEntity(StaModel.Sensors, s.Id) { Key = s.Id }, ("name", s.Name), ("description", s.Description), ("encodingType", "text/html"),
                ("metadata", s.Metadata), ("properties", null));
        }

        foreach (StaProperty p in StaCatalog.Properties)
        {
            Add(new StaEntity(StaModel.ObservedProperties, p.Field) { Key = p.Field }, ("name", p.Name), ("definition", StaCatalog.Definition(p)),
                ("description", $"{p.NameVi} / {p.Name} (reading field {p.Field})"), ("properties", new JsonObject { ["field"] = p.Field, ["name_vi"] = p.NameVi }));
        }

        foreach (Station st in stations)
        {
            string id = StationId(st.Site, st.Node);
            string name = st.Name ?? $"{st.Node} ({st.Site})";
            string span = $"{Time(st.FirstTs)}/{Time(st.LastTs)}";
            Add(new StaEntity(StaModel.Things, id) { Site = st.Site, Node = st.Node }, ("name", name),
                ("description", $"Trạm quan trắc {st.Node} của {st.Site} / monitoring station {st.Node} of gateway site {st.Site}"),
                ("properties", new JsonObject { ["site"] = st.Site, ["node"] = st.Node }));
            JsonObject? point = StaModel.Point(st.Lat, st.Lon);
            if (point != null)
            {
                Add(new StaEntity(StaModel.Locations, id) { Site = st.Site, Node = st.Node }, ("name", name), ("description", $"Where {st.Node} stands"),
                    ("encodingType", "application/geo+json"), ("location", point), ("properties", null));
                Add(new StaEntity(StaModel.HistoricalLocations, id) { Site = st.Site, Node = st.Node }, ("time", DateTimeOffset.FromUnixTimeSeconds(st.FirstTs)));
            }

            Add(new StaEntity(StaModel.FeaturesOfInterest, id) { Site = st.Site, Node = st.Node }, ("name", name),
                ("description", $"The water at {name}"), ("encodingType", "application/geo+json"),
                ("feature", point?.DeepClone() ?? new JsonObject { ["type"] = "Feature", ["geometry"] = null, ["properties"] = new JsonObject { ["site"] = st.Site, ["node"] = st.Node } }),
                ("properties", null)); // unlocated (no gateway sent its loc): a GeoJSON Feature without geometry (RFC 7946 §3.2)
            foreach (StaProperty p in StaCatalog.Properties)
            {
                Add(new StaEntity(StaModel.Datastreams, $"{id}:{p.Field}") { Site = st.Site, Node = st.Node, Key = p.Field },
                    ("name", $"{p.NameVi} / {p.Name} – {name}"),
                    ("description", $"{p.Name} at {name}, every reading the IOC received from gateway site {st.Site}"),
                    ("observationType", "http://www.opengis.net/def/observationType/OGC-OM/2.0/OM_Measurement"),
                    ("unitOfMeasurement", new JsonObject { ["name"] = p.Unit.Name, ["symbol"] = p.Unit.Symbol, ["definition"] = p.Unit.Definition }),
                    ("observedArea", point?.DeepClone()), ("phenomenonTime", span), ("resultTime", span), ("properties", new JsonObject { ["field"] = p.Field }));
            }
        }
    }

    public static string StationId(string site, string node) => $"{site}:{node}";

    public static string Time(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);

    private void Add(StaEntity e, params (string Name, object? Value)[] props)
    {
        foreach ((string name, object? value) in props)
        {
            e.Props[name] = value;
        }

        _sets[e.Set.Name][e.Id] = e;
    }

    public IEnumerable<StaEntity> All(StaSetDef set) => _sets[set.Name].Values;

    public StaEntity? Find(StaSetDef set, string id) => _sets[set.Name].GetValueOrDefault(id);

    /// <summary>The entity a to-one navigation leads to (all of them lead into the small part of the graph).</summary>
    public StaEntity? ToOne(StaEntity e, string navigation) => (e.Set.Name, navigation) switch
    {
        ("HistoricalLocations", "Thing") => Find(StaModel.Things, e.Id),
        ("Datastreams", "Thing") => Find(StaModel.Things, StationId(e.Site, e.Node)),
        ("Datastreams", "Sensor") => Find(StaModel.Sensors, StaCatalog.Property(e.Key).SensorId),
        ("Datastreams", "ObservedProperty") => Find(StaModel.ObservedProperties, e.Key),
        ("Observations", "Datastream") => Find(StaModel.Datastreams, $"{StationId(e.Site, e.Node)}:{e.Key}"),
        ("Observations", "FeatureOfInterest") => Find(StaModel.FeaturesOfInterest, StationId(e.Site, e.Node)),
        _ => null,
    };

    /// <summary>A to-many navigation within the small part (not Observations, which are scanned).</summary>
    public IEnumerable<StaEntity> ToMany(StaEntity e, string navigation)
    {
        string station = StationId(e.Site, e.Node);
        return (e.Set.Name, navigation) switch
        {
            ("Things", "Locations") or ("HistoricalLocations", "Locations") => Maybe(Find(StaModel.Locations, station)),
            ("Things", "HistoricalLocations") or ("Locations", "HistoricalLocations") => Maybe(Find(StaModel.HistoricalLocations, station)),
            ("Locations", "Things") => Maybe(Find(StaModel.Things, station)),
            ("Things", "Datastreams") => StaCatalog.Properties.Select(p => Find(StaModel.Datastreams, $"{station}:{p.Field}")!),
            ("Sensors", "Datastreams") => All(StaModel.Datastreams).Where(d => StaCatalog.Property(d.Key).SensorId == e.Key),
            ("ObservedProperties", "Datastreams") => All(StaModel.Datastreams).Where(d => d.Key == e.Key),
            _ => [],
        };
    }

    private static IEnumerable<StaEntity> Maybe(StaEntity? e) => e == null ? [] : [e];

    /// <summary>The observations one reading makes: one per field it carries (in the catalogue's order), or only <paramref name="field"/>.</summary>
    public static IEnumerable<StaEntity> Observations(ReadingRow r, string? field)
    {
        JsonObject? fields = JsonNode.Parse(r.Fields) as JsonObject;
        if (fields == null)
        {
            yield break;
        }

        foreach (StaProperty p in StaCatalog.Properties)
        {
            if ((field != null && p.Field != field) || !fields.TryGetPropertyValue(p.Field, out JsonNode? v) || v is not JsonValue value || !value.TryGetValue(out double result))
            {
                continue;
            }

            var o = new StaEntity(StaModel.Observations, $"{r.Site}:{r.Node}:{r.Boot}:{r.Seq}:{p.Field}") { Site = r.Site, Node = r.Node, Key = p.Field, Ts = r.Ts };
            DateTimeOffset at = DateTimeOffset.FromUnixTimeSeconds(r.Ts);
            o.Props["phenomenonTime"] = at;
            o.Props["resultTime"] = at;
            o.Props["result"] = result;
            o.Props["resultQuality"] = r.Quality;
            o.Props["validTime"] = null;
            var parameters = new JsonObject
            {
                ["boot"] = r.Boot,
                ["seq"] = r.Seq,
                ["received"] = Time(r.Rx),
                ["time_synchronised"] = r.Sync,
                ["quality"] = r.Quality,
            };
            if (r.NodeTs is long nodeTs)
            {
                parameters["node_time"] = Time(nodeTs);
            }

            o.Props["parameters"] = parameters;
            yield return o;
        }
    }

    /// <summary>Parses an observation id back into its reading id and field.</summary>
    public static (string Site, string Node, long Boot, long Seq, string Field)? ObservationKey(string id)
    {
        string[] p = id.Split(':');
        return p.Length == 5 && long.TryParse(p[2], NumberStyles.None, CultureInfo.InvariantCulture, out long boot)
            && long.TryParse(p[3], NumberStyles.None, CultureInfo.InvariantCulture, out long seq) && StaCatalog.IsProperty(p[4])
            ? (p[0], p[1], boot, seq, p[4])
            : null;
    }
}
