namespace EdgeSensors.Gateway.Store;

/// <summary>A message for the uplink's priority lane: an alert or a gap record.</summary>
public sealed record OutboundMessage(long Id, string Kind, string? Node, string Payload);
