namespace EdgeSensors.Gateway.Alerts;

/// <summary>A change of an alert's level for one node and kind (None → something raises, something → None clears).</summary>
public sealed record AlertTransition(string Node, AlertKind Kind, AlertLevel From, AlertLevel To, double Value, double Threshold, long Ts, string? ProfileId, string? Detail = null);
