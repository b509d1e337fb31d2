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

    /// <summary>The station's forecast says salinity will reach the crop's warning (or danger) level within the horizon.</summary>
    SalinityForecast,

    /// <summary>The station downstream on the same river says salt is on its way, with the learned travel time.</summary>
    SalinityUpstream,
}
