namespace EdgeSensors.Gateway.Store;

/// <summary>A reading as the gateway keeps it: identity, times, quality and the reading fields as JSON.</summary>
public sealed record StoredReading(
    long Id,
    string Node,
    uint Boot,
    uint Seq,
    long Ts,
    long Rx,
    bool Sync,
    string Quality,
    string FieldsJson);
