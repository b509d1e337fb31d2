namespace EdgeSensors.Node.Samples;

/// <summary>One numbered, timestamped reading. (node, boot, seq) identifies it end to end.</summary>
public sealed class Sample
{
    /// <summary>Creates a sample.</summary>
    public Sample(uint boot, uint seq, long timestamp, bool clockSynchronized, Reading reading)
    {
        Boot = boot;
        Seq = seq;
        Timestamp = timestamp;
        ClockSynchronized = clockSynchronized;
        Reading = reading;
    }

    /// <summary>Random id of the boot that produced the sample.</summary>
    public uint Boot { get; }

    /// <summary>Sequence number within the boot, from 1.</summary>
    public uint Seq { get; }

    /// <summary>Unix seconds, UTC (meaningless when <see cref="ClockSynchronized"/> is false: the gateway stamps it).</summary>
    public long Timestamp { get; }

    /// <summary>True when the node's clock had been set by SNTP when the sample was taken.</summary>
    public bool ClockSynchronized { get; }

    /// <summary>The measured values.</summary>
    public Reading Reading { get; }
}
