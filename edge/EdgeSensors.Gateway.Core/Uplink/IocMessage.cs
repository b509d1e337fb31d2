namespace EdgeSensors.Gateway.Uplink;

/// <summary>One message for the IOC.</summary>
public sealed record IocMessage(IocMessageKind Kind, string? Node, ReadOnlyMemory<byte> Payload)
{
    /// <summary>
    /// The readings' ids for a readings message, as "{boot}:{first}-{last}" runs joined by ',' — adapters that carry
    /// message properties (IoT Hub) put it there so the IOC can route and deduplicate without parsing the body.
    /// </summary>
    public string? Ids { get; init; }
}
