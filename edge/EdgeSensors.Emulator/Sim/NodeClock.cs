using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Emulator.Sim;

/// <summary>A node's view of time: the fleet clock, or, under clock faults, an unsynchronised or jumped wall clock.</summary>
public sealed class NodeClock(FleetClock fleet) : INodeClock
{
    /// <summary>False while the node has no SNTP time (it then reports sync:false and a meaningless ts).</summary>
    public bool Synchronized { get; set; } = true;

    /// <summary>Offset added to the wall clock (a clock jump), s.</summary>
    public long JumpSeconds { get; set; }

    public long MonotonicMs => fleet.NowMs;

    public long UnixSeconds => Synchronized
        ? new DateTimeOffset(fleet.NowUtc).ToUnixTimeSeconds() + JumpSeconds
        : fleet.NowMs / 1000; // an unset RTC counts from 1970

    public bool IsSynchronized => Synchronized;
}
