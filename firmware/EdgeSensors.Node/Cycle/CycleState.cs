namespace EdgeSensors.Node.Cycle;

/// <summary>States of the node cycle: wake → sample → connect → publish → await ack → sleep, with backoff on failure.</summary>
public enum CycleState
{
    /// <summary>Just woke (boot, deep-sleep wake, or idle timer).</summary>
    Wake = 0,

    /// <summary>Taking a measurement into the outbox.</summary>
    Sample = 1,

    /// <summary>Connecting to the gateway.</summary>
    Connect = 2,

    /// <summary>Publishing the oldest batch of the outbox.</summary>
    Publish = 3,

    /// <summary>Waiting for the gateway's PUBACK.</summary>
    AwaitAck = 4,

    /// <summary>Waiting before the next connection attempt.</summary>
    Backoff = 5,

    /// <summary>Nothing to do until the next sample: deep sleep, or idle when always on.</summary>
    Sleep = 6,
}
