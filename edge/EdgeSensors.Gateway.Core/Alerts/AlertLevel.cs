namespace EdgeSensors.Gateway.Alerts;

/// <summary>How serious an alert is. Order matters: higher is worse.</summary>
public enum AlertLevel
{
    None = 0,
    Watch = 1,
    Warning = 2,
    Danger = 3,
}
