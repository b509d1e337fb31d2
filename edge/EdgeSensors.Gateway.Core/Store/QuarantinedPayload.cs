namespace EdgeSensors.Gateway.Store;

/// <summary>A refused payload as kept for inspection (bytes in base64: it may not be text).</summary>
public sealed record QuarantinedPayload(long Id, long Rx, string? Client, string Topic, string Reason, string PayloadBase64);
