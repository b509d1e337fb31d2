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

    /// <summary>The gateway's mains supply failed (its UPS's AC-fail contact): it runs on the backup battery.</summary>
    PowerCut,
}
