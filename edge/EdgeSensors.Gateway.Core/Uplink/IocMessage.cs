namespace EdgeSensors.Gateway.Uplink;

/// <summary>One message for the IOC.</summary>
public sealed record IocMessage(IocMessageKind Kind, string? Node, ReadOnlyMemory<byte> Payload);
