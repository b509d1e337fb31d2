namespace EdgeSensors.Gateway.Alerts;

/// <summary>Log event ids of alerts (1300–1399).</summary>
internal static class AlertEvents
{
    public static readonly EventId Transition = new(1300, nameof(Transition));
    public static readonly EventId Acknowledged = new(1301, nameof(Acknowledged));
}
