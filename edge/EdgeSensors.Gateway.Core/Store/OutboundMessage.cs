namespace EdgeSensors.Gateway.Store;

/// <summary>A message for the uplink's priority lane: an alert or a gap record.</summary>
public sealed record OutboundMessage(long Id, string Kind, string? Node, string Payload)
{
    /// <summary>The typed record, or null for a row queued as wire JSON by an older gateway.</summary>
    public OutboundRecord? Record => OutboundRecord.FromStored(Payload);
}
