using Polly.Contrib.WaitAndRetry;

namespace EdgeSensors.Gateway.Observability;

/// <summary>
/// The one reconnect backoff of the gateway's links (issue 29: it was written five times): Polly's decorrelated-jitter
/// exponential backoff (Polly.Contrib.WaitAndRetry, "V2": a median first delay that doubles, spread so that many
/// gateways restarting together do not reconnect in step), capped at a maximum, started again after a link has worked.
/// </summary>
public sealed class ReconnectBackoff(TimeSpan firstDelay, TimeSpan maxDelay)
{
    private IEnumerator<TimeSpan>? _delays;

    /// <summary>Attempts that failed since the last <see cref="Reset"/>.</summary>
    public int Failures { get; private set; }

    /// <summary>The wait before the next attempt, after one more failure.</summary>
    public TimeSpan Next()
    {
        Failures++;
        _delays ??= Backoff.DecorrelatedJitterBackoffV2(firstDelay, int.MaxValue).GetEnumerator();
        TimeSpan next = _delays.MoveNext() ? _delays.Current : maxDelay;
        return next > maxDelay || next < TimeSpan.Zero ? maxDelay : next;
    }

    /// <summary>The link worked: the next failure waits the first delay again.</summary>
    public void Reset()
    {
        Failures = 0;
        _delays?.Dispose();
        _delays = null;
    }
}
