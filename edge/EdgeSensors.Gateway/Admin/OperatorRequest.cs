namespace EdgeSensors.Gateway.Admin;

/// <summary>POST /api/operators.</summary>
public sealed record OperatorRequest(string? Name, string? Role);
