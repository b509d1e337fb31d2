namespace EdgeSensors.Gateway.Admin;

/// <summary>Body of POST /api/nodes.</summary>
public sealed record NodeRegistration(string? Id, double? Lat, double? Lon, string? Place, string? Notes);
