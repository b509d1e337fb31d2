namespace EdgeSensors.Gateway.Alerts;

public static class AlertKinds
{
    public static string WireName(AlertKind k) => k switch
    {
        AlertKind.Salinity => "salinity",
        AlertKind.SalinityRising => "salinity_rising",
        AlertKind.LevelHigh => "level_high",
        AlertKind.LevelLow => "level_low",
        AlertKind.Stale => "stale",
        AlertKind.EnclosureTemperature => "enclosure_temp",
        AlertKind.PowerCut => "power_cut",
        AlertKind.SalinityForecast => "salinity_forecast",
        AlertKind.SalinityUpstream => "salinity_upstream",
        _ => "sensor_fault",
    };

    public static string WireName(AlertLevel l) => l switch
    {
        AlertLevel.Watch => "watch",
        AlertLevel.Warning => "warning",
        AlertLevel.Danger => "danger",
        _ => "none",
    };
}
