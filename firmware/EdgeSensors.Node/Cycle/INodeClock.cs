namespace EdgeSensors.Node.Cycle;

/// <summary>Time as the node sees it. Tests and the emulator drive a fake one; the device reads its RTC and SNTP state.</summary>
public interface INodeClock
{
    /// <summary>Milliseconds from an arbitrary start, never going backwards (for timeouts and schedules).</summary>
    long MonotonicMs { get; }

    /// <summary>Wall-clock Unix seconds, UTC (may jump when SNTP sets it; meaningless until synchronised).</summary>
    long UnixSeconds { get; }

    /// <summary>True once the wall clock was set by SNTP.</summary>
    bool IsSynchronized { get; }
}
