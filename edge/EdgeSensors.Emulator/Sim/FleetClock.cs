using System.Diagnostics;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// The fleet's simulated time. Real-time mode runs at <see cref="Speed"/> × wall clock (message timestamps stay
/// consistent: every node reads this one clock); virtual mode jumps from event to event (offline runs, tests).
/// </summary>
public sealed class FleetClock
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    private long _virtualMs;

    public FleetClock(DateTime startUtc, double speed, bool isVirtual)
    {
        StartUtc = startUtc;
        Speed = speed;
        IsVirtual = isVirtual;
    }

    public DateTime StartUtc { get; }

    public double Speed { get; }

    public bool IsVirtual { get; }

    /// <summary>Simulated milliseconds since the start.</summary>
    public long NowMs => IsVirtual ? _virtualMs : (long)(_wall.Elapsed.TotalMilliseconds * Speed);

    public DateTime NowUtc => StartUtc.AddMilliseconds(NowMs);

    /// <summary>Virtual mode: move time forward to <paramref name="ms"/>.</summary>
    public void AdvanceTo(long ms)
    {
        if (ms > _virtualMs)
        {
            _virtualMs = ms;
        }
    }

    /// <summary>Real milliseconds until simulated time <paramref name="ms"/>.</summary>
    public double RealMsUntil(long ms) => (ms - NowMs) / Speed;
}
