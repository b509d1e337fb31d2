namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>A unit as SensorThings writes it (name, symbol, and a UCUM definition).</summary>
public sealed record StaUnit(string Name, string Symbol, string Definition);

/// <summary>One of the seven reading fields (docs/schemas/reading-fields.schema.json) as an ObservedProperty.</summary>
public sealed record StaProperty(string Field, string Name, string NameVi, string CfStandardName, StaUnit Unit, string SensorId);

/// <summary>A part on the node that measures some of the fields (hardware/).</summary>
public sealed record StaSensor(string Id, string Name, string Description, string Metadata);

/// <summary>
/// The fixed part of the SensorThings model: the reading fields as ObservedProperties (defined by their CF standard
/// names), their units (UCUM), and the node's parts as Sensors. Every name here is one of reading-fields.schema.json's.
/// </summary>
public static class StaCatalog
{
    private const string Cf = "https://cfconventions.org/Data/cf-standard-names/current/build/cf-standard-name-table.html#";
    private const string Ucum = "https://ucum.org/ucum#";

    public static readonly IReadOnlyList<StaSensor> Sensors =
    [
        new("conductivity", "Analog EC board with a K=1 probe and its 10 kΩ NTC, read by an ADS1115", "In-situ conductivity at the water's temperature and the water temperature; practical salinity from them by PSS-78 (UNESCO 1983).", "hardware/node-esp32/README.md#analog-front-end"),
        new("level", "Submerged gauge pressure transducer (0–1 bar) or a downward ultrasonic ranger", "Water level above the site datum, from the installation's datum survey.", "hardware/node-esp32/README.md#water-level"),
        new("bme280", "Bosch BME280", "Air pressure, air temperature and relative humidity.", "hardware/node-esp32/README.md#hardware-requirements"),
    ];

    public static readonly IReadOnlyList<StaProperty> Properties =
    [
        new("salinity_ppt", "Practical salinity", "Độ mặn", "sea_water_practical_salinity", new StaUnit("Practical salinity (PSS-78), parts per thousand", "‰", Ucum + "[ppth]"), "conductivity"),
        new("ec_ms_cm", "Electrical conductivity", "Độ dẫn điện", "sea_water_electrical_conductivity", new StaUnit("millisiemens per centimetre", "mS/cm", Ucum + "mS/cm"), "conductivity"),
        new("water_temp_c", "Water temperature", "Nhiệt độ nước", "sea_water_temperature", new StaUnit("degree Celsius", "°C", Ucum + "Cel"), "conductivity"),
        new("level_m", "Water level above the site datum", "Mực nước", "water_surface_height_above_reference_datum", new StaUnit("metre", "m", Ucum + "m"), "level"),
        new("air_pressure_hpa", "Air pressure", "Áp suất không khí", "air_pressure", new StaUnit("hectopascal", "hPa", Ucum + "hPa"), "bme280"),
        new("air_temp_c", "Air temperature", "Nhiệt độ không khí", "air_temperature", new StaUnit("degree Celsius", "°C", Ucum + "Cel"), "bme280"),
        new("humidity_pct", "Relative humidity", "Độ ẩm", "relative_humidity", new StaUnit("percent", "%", Ucum + "%"), "bme280"),
    ];

    private static readonly Dictionary<string, StaProperty> ByField = Properties.ToDictionary(p => p.Field, StringComparer.Ordinal);

    public static bool IsProperty(string field) => ByField.ContainsKey(field);

    public static StaProperty Property(string field) =>
        ByField.TryGetValue(field, out StaProperty? p) ? p : throw new ArgumentException($"{field} is not a reading field", nameof(field));

    public static string Definition(StaProperty p) => Cf + p.CfStandardName;
}
