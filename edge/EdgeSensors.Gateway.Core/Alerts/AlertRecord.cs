namespace EdgeSensors.Gateway.Alerts;

/// <summary>An alert as stored and shown: one row per episode of a node and kind.</summary>
public sealed record AlertRecord(
    long Id, string Node, string Kind, string Level, string State, string? Profile, double Value, double Threshold,
    long RaisedAt, long UpdatedAt, long? ClearedAt, long? AckedAt, string? AckedBy, string MsgVi, string MsgEn);
