using System.Text.Json.Nodes;

namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>A navigation property of an entity type: its name, the entity set it leads to, and whether it leads to many.</summary>
public sealed record StaNavigation(string Name, string TargetSet, bool Many);

/// <summary>An entity set of SensorThings Part 1 (Sensing) with its properties and navigation properties (§8.2).</summary>
public sealed record StaSetDef(string Name, string Singular, IReadOnlyList<string> Properties, IReadOnlyList<StaNavigation> Navigations)
{
    public StaNavigation? Navigation(string name) => Navigations.FirstOrDefault(n => n.Name == name);
}

/// <summary>
/// One entity as served: its set, its id, its properties in the specification's order (values: string, double,
/// DateTimeOffset, bool, a JSON node, or null), and the keys that lead to its neighbours.
/// </summary>
public sealed class StaEntity(StaSetDef set, string id)
{
    public StaSetDef Set { get; } = set;

    public string Id { get; } = id;

    public Dictionary<string, object?> Props { get; } = new(StringComparer.Ordinal);

    public string Site { get; init; } = "";

    public string Node { get; init; } = "";

    /// <summary>The reading field of a Datastream or an Observation; the field of an ObservedProperty; the sensor of a Sensor.</summary>
    public string Key { get; init; } = "";

    /// <summary>For an Observation: the reading's time (Unix s), which orders it.</summary>
    public long Ts { get; init; }
}

/// <summary>The entity sets of the Sensing part and what links them.</summary>
public static class StaModel
{
    public static readonly StaSetDef Things = new("Things", "Thing", ["name", "description", "properties"],
        [new("Locations", "Locations", true), new("HistoricalLocations", "HistoricalLocations", true), new("Datastreams", "Datastreams", true)]);

    public static readonly StaSetDef Locations = new("Locations", "Location", ["name", "description", "encodingType", "location", "properties"],
        [new("Things", "Things", true), new("HistoricalLocations", "HistoricalLocations", true)]);

    public static readonly StaSetDef HistoricalLocations = new("HistoricalLocations", "HistoricalLocation", ["time"],
        [new("Thing", "Things", false), new("Locations", "Locations", true)]);

    public static readonly StaSetDef Datastreams = new("Datastreams", "Datastream",
        ["name", "description", "observationType", "unitOfMeasurement", "observedArea", "phenomenonTime", "resultTime", "properties"],
        [new("Thing", "Things", false), new("Sensor", "Sensors", false), new("ObservedProperty", "ObservedProperties", false), new("Observations", "Observations", true)]);

    public static readonly StaSetDef Sensors = new("Sensors", "Sensor", ["name", "description", "encodingType", "metadata", "properties"],
        [new("Datastreams", "Datastreams", true)]);

    public static readonly StaSetDef ObservedProperties = new("ObservedProperties", "ObservedProperty", ["name", "definition", "description", "properties"],
        [new("Datastreams", "Datastreams", true)]);

    public static readonly StaSetDef Observations = new("Observations", "Observation",
        ["phenomenonTime", "resultTime", "result", "resultQuality", "validTime", "parameters"],
        [new("Datastream", "Datastreams", false), new("FeatureOfInterest", "FeaturesOfInterest", false)]);

    public static readonly StaSetDef FeaturesOfInterest = new("FeaturesOfInterest", "FeatureOfInterest", ["name", "description", "encodingType", "feature", "properties"],
        [new("Observations", "Observations", true)]);

    public static readonly IReadOnlyList<StaSetDef> Sets = [Things, Locations, HistoricalLocations, Datastreams, Sensors, ObservedProperties, Observations, FeaturesOfInterest];

    public static StaSetDef? Set(string name) => Sets.FirstOrDefault(s => s.Name == name);

    /// <summary>The requirement classes this service meets (SensorThings 1.1, Annex A), as its root document lists them.</summary>
    public static readonly IReadOnlyList<string> Conformance =
    [
        "http://www.opengis.net/spec/iot_sensing/1.1/req/datamodel",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/resource-path/resource-path-to-entities",
        "http://www.opengis.net/spec/iot_sensing/1.1/req/request-data",
    ];

    internal static JsonObject? Point(double? lat, double? lon) =>
        lat is double la && lon is double lo ? new JsonObject { ["type"] = "Point", ["coordinates"] = new JsonArray(lo, la) } : null;
}
