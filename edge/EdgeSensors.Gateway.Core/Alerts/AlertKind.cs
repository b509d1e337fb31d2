namespace EdgeSensors.Gateway.Alerts;

/// <summary>What an alert is about (wire names in <see cref="AlertKinds"/>).</summary>
public enum AlertKind
{
    Salinity,
    SalinityRising,
    LevelHigh,
    LevelLow,
    Stale,
    SensorFault,
    EnclosureTemperature,
}
