namespace EdgeSensors.Gateway.Uplink;

/// <summary>What an uplink message carries; each adapter maps kinds to its own addressing.</summary>
public enum IocMessageKind
{
    /// <summary>Ordered readings of one node (the telemetry stream).</summary>
    Readings,

    /// <summary>An alert's raise, acknowledgement or clearing.</summary>
    Alert,

    /// <summary>A gap record: readings dropped by policy.</summary>
    Gap,

    /// <summary>The latest reading of a node, retained, sent ahead of a draining backlog.</summary>
    Latest,

    /// <summary>The gateway's answer to a cloud-to-device command (IoT Hub): applied, or refused with its reason.</summary>
    CommandResult,

    /// <summary>Forwarded high-water marks: per (node, boot), the highest seq the IOC's broker acknowledged, every reading up to it included.</summary>
    Marks,
}
