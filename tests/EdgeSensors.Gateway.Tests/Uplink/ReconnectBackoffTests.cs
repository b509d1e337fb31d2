using EdgeSensors.Gateway.Observability;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>The gateway's one reconnect backoff (Polly's decorrelated jitter): grows from its first delay, never past its cap, starts over after a link worked.</summary>
public sealed class ReconnectBackoffTests
{
    [Fact]
    public void Delays_grow_from_the_first_stay_under_the_cap_and_start_again_after_a_reset()
    {
        var backoff = new ReconnectBackoff(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(60));
        TimeSpan[] delays = Enumerable.Range(0, 40).Select(_ => backoff.Next()).ToArray();
        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(60)));
        Assert.True(delays[..3].Average(d => d.TotalSeconds) < 5, "the first attempts wait seconds, not a minute");
        Assert.True(delays[^10..].All(d => d.TotalSeconds >= 30), "after many failures the waits reach the cap's order");
        Assert.Equal(40, backoff.Failures);

        backoff.Reset();
        Assert.Equal(0, backoff.Failures);
        Assert.True(backoff.Next() < TimeSpan.FromSeconds(5));
    }
}
