using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Gateway.Tests.Alerts;

/// <summary>The relay moves on the gateway's clock only: a burst of back-dated samples moves nothing (issue 19).</summary>
public sealed class RelayInterlockTests
{
    private const long T = 1_800_000_000;
    private const double Forbid = 1.0; // rice at tillering: no water from 1.0 ‰
    private const double Reopen = 0.6;

    private static RelayInterlock Make(int agreeing = 1, params string[] nodes) =>
        new(new RelayRule(ConfirmSeconds: 600, MinPublishes: 2, MinAgreeingNodes: agreeing, MaxAgeSeconds: 3600, HysteresisPpt: 0.2, new HashSet<string>(nodes)));

    [Fact]
    public void Nothing_is_permitted_before_fresh_water_is_confirmed()
    {
        RelayInterlock relay = Make();
        Assert.False(relay.Permits(T));
        relay.Observe("a", T, 0.3, Forbid, Reopen);
        Assert.False(relay.Permits(T)); // one message is not a confirmation
        relay.Observe("a", T + 300, 0.3, Forbid, Reopen);
        Assert.False(relay.Permits(T + 300)); // two messages, but only 5 minutes apart
        relay.Observe("a", T + 600, 0.3, Forbid, Reopen);
        Assert.True(relay.Permits(T + 600));
    }

    [Fact]
    public void A_burst_of_back_dated_salty_samples_in_one_message_does_not_cut_the_water()
    {
        RelayInterlock relay = Confirmed(fresh: true);
        // One publish (one receive time) carrying "an hour" of 9 ‰ samples.
        for (int i = 0; i < 12; i++)
        {
            relay.Observe("a", T + 1000, 9.0, Forbid, Reopen);
        }

        Assert.True(relay.Permits(T + 1000));
    }

    [Fact]
    public void A_burst_of_back_dated_fresh_samples_does_not_open_the_water_and_the_next_genuine_reading_resets_it()
    {
        RelayInterlock relay = Confirmed(fresh: false);
        for (int i = 0; i < 12; i++)
        {
            relay.Observe("a", T + 1000, 0.3, Forbid, Reopen);
        }

        Assert.False(relay.Permits(T + 1000));
        relay.Observe("a", T + 1300, 4.2, Forbid, Reopen); // the genuine node, still salty
        relay.Observe("a", T + 1700, 0.3, Forbid, Reopen); // a second forged message 700 s after the first
        Assert.False(relay.Permits(T + 1700)); // the forged run was broken by the genuine reading: starts over
    }

    [Fact]
    public void A_genuine_rise_over_the_confirmation_time_cuts_the_water()
    {
        RelayInterlock relay = Confirmed(fresh: true);
        relay.Observe("a", T + 1000, 1.4, Forbid, Reopen);
        Assert.True(relay.Permits(T + 1000));
        relay.Observe("a", T + 1900, 1.6, Forbid, Reopen);
        Assert.False(relay.Permits(T + 1900));
    }

    [Fact]
    public void Inside_the_hysteresis_band_the_state_holds_and_silence_forbids_again()
    {
        RelayInterlock relay = Confirmed(fresh: true);
        relay.Observe("a", T + 1000, 0.9, Forbid, Reopen); // between reopen (0.6) and forbid (1.0): no change
        relay.Observe("a", T + 1900, 0.9, Forbid, Reopen);
        Assert.True(relay.Permits(T + 1900));
        Assert.False(relay.Permits(T + 1900 + 3601)); // no confirming reading for the maximum age: forbidden
    }

    [Fact]
    public void By_default_one_stolen_node_cannot_open_the_intake_where_two_govern_and_a_lone_node_is_named_as_such()
    {
        // Issue 29: with the old default (one node enough) two messages from one stolen node opened the intake while
        // the other node had said nothing. The gateway's default is now two, bounded by how many nodes govern.
        int registered = 2;
        var relay = new RelayInterlock(new RelayRule(600, 2, new EdgeSensors.Gateway.Gpio.GpioOptions().RelayMinAgreeingNodes, 3600, 0.2, new HashSet<string>()), () => registered);
        relay.Observe("stolen", T, 0.1, Forbid, Reopen);
        relay.Observe("stolen", T + 600, 0.1, Forbid, Reopen);
        Assert.False(relay.Permits(T + 600));
        Assert.Equal(2, relay.Required());
        relay.Observe("honest", T + 10, 0.3, Forbid, Reopen);
        relay.Observe("honest", T + 610, 0.3, Forbid, Reopen);
        Assert.True(relay.Permits(T + 610));

        registered = 1;
        Assert.Equal(1, relay.Required());
        Assert.Contains("one node governs", relay.Basis(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_second_node_must_corroborate_where_configured_and_any_confirmed_salt_forbids()
    {
        RelayInterlock relay = Make(agreeing: 2);
        foreach (long t in new[] { T, T + 900 })
        {
            relay.Observe("a", t, 0.3, Forbid, Reopen);
        }

        Assert.False(relay.Permits(T + 900)); // one node is not enough
        foreach (long t in new[] { T + 100, T + 1000 })
        {
            relay.Observe("b", t, 0.4, Forbid, Reopen);
        }

        Assert.True(relay.Permits(T + 1000));
        foreach (long t in new[] { T + 1100, T + 2000 })
        {
            relay.Observe("c", t, 3.0, Forbid, Reopen);
        }

        Assert.False(relay.Permits(T + 2000));
    }

    [Fact]
    public void Only_the_configured_intake_nodes_govern_the_relay()
    {
        RelayInterlock relay = Make(1, "intake");
        relay.Observe("elsewhere", T, 0.3, Forbid, Reopen);
        relay.Observe("elsewhere", T + 900, 0.3, Forbid, Reopen);
        Assert.False(relay.Permits(T + 900));
        Assert.Empty(relay.Confirmed());
    }

    private static RelayInterlock Confirmed(bool fresh)
    {
        RelayInterlock relay = Make();
        double s = fresh ? 0.3 : 4.0;
        relay.Observe("a", T, s, Forbid, Reopen);
        relay.Observe("a", T + 900, s, Forbid, Reopen);
        Assert.Equal(fresh, relay.Permits(T + 900));
        return relay;
    }
}
