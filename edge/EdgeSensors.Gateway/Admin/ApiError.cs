namespace EdgeSensors.Gateway.Admin;

/// <summary>Every error the API returns: what is wrong, in words.</summary>
public sealed record ApiError(string Error);
