namespace EdgeSensors.Gateway.Store;

/// <summary>A registered node (its secret stays in the registry as a salted hash only).</summary>
public sealed record NodeRecord(string Id, double? Lat, double? Lon, string? Place, string? Notes, long Created, string? Config, long ConfigRevision);
