namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// A station's level for one crop changed (issue 30: every crop's answer from the one evaluator): what the SMS texts
/// follow for each subscriber's crop, so they say what the page, the alerts and the lamps say.
/// </summary>
/// <param name="Ts">The reading's own time.</param>
/// <param name="At">When the gateway judged it (the reading's receive time, the clock the level rules run on).</param>
public sealed record VerdictChange(string Node, string Profile, AlertLevel From, AlertLevel To, double Value, long Ts, long At);
