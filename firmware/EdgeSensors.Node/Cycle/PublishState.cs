namespace EdgeSensors.Node.Cycle;

/// <summary>Fate of one QoS 1 publish.</summary>
public enum PublishState
{
    /// <summary>Sent, PUBACK not yet received.</summary>
    Pending = 0,

    /// <summary>The gateway acknowledged it (stored durably).</summary>
    Acknowledged = 1,

    /// <summary>Lost: the connection dropped before the PUBACK.</summary>
    Failed = 2,
}
