namespace EdgeSensors.Emulator.Site;

/// <summary>The simulated environment: what a node's sensors are exposed to at a time.</summary>
public sealed class SiteModel
{
    private const double VietnamUtcOffsetHours = 7;
    private readonly TideModel _tide;

    public SiteModel(Scenario scenario, IReadOnlyList<TideConstituent>? constituents = null)
    {
        Scenario = scenario;
        _tide = new TideModel(scenario.MeanLevelShiftM, constituents ?? TideModel.HauRiverDefaults);
    }

    public Scenario Scenario { get; }

    public TideModel Tide => _tide;

    /// <summary>Water level above datum at the node, m.</summary>
    public double Level(DateTime utc) => _tide.Level(utc);

    /// <summary>
    /// Practical salinity at a node: base + tidal part following the tide's normalised elevation one hour earlier
    /// (0 at the lowest possible water, 1 at the highest), both scaled by the node's intrusion factor.
    /// </summary>
    public double Salinity(DateTime utc, NodePlacement node)
    {
        double h = TideModel.Hours(utc) - Scenario.SalinityLagHours;
        double normalized = (_tide.Anomaly(h) + _tide.MaxAnomaly) / (2 * _tide.MaxAnomaly);
        double s = (Scenario.BaseSalinityPpt + (Scenario.TidalSalinityPpt * normalized * normalized)) * node.IntrusionFactor;
        return Math.Max(0.02, s);
    }

    /// <summary>Water temperature, °C: diurnal cycle of ±1.2 °C peaking mid-afternoon local time.</summary>
    public double WaterTemp(DateTime utc) => Scenario.WaterTempMeanC + (1.2 * Diurnal(utc, 15));

    /// <summary>Air temperature, °C: ±3.5 °C around the water's mean + 1, peaking at 14:00.</summary>
    public double AirTemp(DateTime utc) => Scenario.WaterTempMeanC + 1 + (3.5 * Diurnal(utc, 14));

    /// <summary>Air pressure, hPa: the tropics' semi-diurnal atmospheric tide (±1.2 hPa, maxima near 10:00 and 22:00).</summary>
    public static double AirPressure(DateTime utc) => 1008.5 + (1.2 * Math.Cos(2 * Math.PI * (LocalHour(utc) - 10) / 12));

    /// <summary>Relative humidity, %: high at dawn, lowest in the afternoon.</summary>
    public static double Humidity(DateTime utc) => Math.Clamp(75 - (15 * Diurnal(utc, 14)), 30, 100);

    private static double LocalHour(DateTime utc) => (utc.TimeOfDay.TotalHours + VietnamUtcOffsetHours) % 24;

    private static double Diurnal(DateTime utc, double peakLocalHour) => Math.Cos(2 * Math.PI * (LocalHour(utc) - peakLocalHour) / 24);
}
