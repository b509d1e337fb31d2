using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Ingest;

/// <summary>Outcome of validating a telemetry payload: readings ready to store, or why it was refused.</summary>
public sealed record TelemetryParseResult(IReadOnlyList<StoredReading> Readings, string? Error)
{
    public bool Ok => Error == null;

    public static TelemetryParseResult Fail(string error) => new([], error);
}
