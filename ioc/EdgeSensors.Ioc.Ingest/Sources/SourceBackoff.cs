using Polly.Contrib.WaitAndRetry;

namespace EdgeSensors.Ioc.Ingest.Sources;

/// <summary>
/// The wait between reconnect attempts to the broker (issue 32: capped at 30 s, consumers came back 40–50 s after a
/// broker restart): Polly's decorrelated-jitter backoff from a 250 ms median, capped at <see cref="MaxDelay"/>, so an
/// instance is back within seconds of the broker and a fleet of instances does not reconnect in step. The gateway's
/// links use the same policy (its ReconnectBackoff); the ingest is its own deployable and does not reference the edge.
/// </summary>
public sealed class SourceBackoff
{
    /// <summary>The longest wait between attempts.</summary>
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(5);

    private IEnumerator<TimeSpan>? _delays;

    /// <summary>The wait before the next attempt, after one more failure.</summary>
    public TimeSpan Next()
    {
        _delays ??= Backoff.DecorrelatedJitterBackoffV2(TimeSpan.FromMilliseconds(250), int.MaxValue).GetEnumerator();
        TimeSpan next = _delays.MoveNext() ? _delays.Current : MaxDelay;
        return next > MaxDelay || next < TimeSpan.Zero ? MaxDelay : next;
    }

    /// <summary>Connected: the next failure starts from the first delay again.</summary>
    public void Reset()
    {
        _delays?.Dispose();
        _delays = null;
    }
}
