using System.Text;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Device;

namespace EdgeSensors.Node.Tests.Cycle;

/// <summary>The run record tells why the chip started, which nanoFramework's wake-up cause alone cannot.</summary>
public class RunJournalTests
{
    private readonly MemoryDocumentStorage _flash = new();

    [Fact]
    public void The_first_start_ever_is_a_power_on_and_a_reset_while_awake_is_unexpected()
    {
        Assert.Equal("power_on", RunJournal.Open(_flash, timerWake: false).ResetReason);

        // Still awake when the chip restarted, and nothing asked for it: brown-out, power cut or a native crash.
        Assert.Equal("unexpected", RunJournal.Open(_flash, timerWake: false).ResetReason);
        Assert.Equal("unexpected", RunJournal.Open(_flash, timerWake: false).ResetReason);
    }

    [Fact]
    public void A_timer_wake_is_deep_sleep_and_a_start_from_sleep_without_the_timer_is_a_power_on()
    {
        RunJournal.Open(_flash, timerWake: false).MarkSleeping();
        RunJournal woke = RunJournal.Open(_flash, timerWake: true);
        Assert.Equal("deep_sleep", woke.ResetReason);
        Assert.True(woke.WokeFromDeepSleep);

        // Asleep, then the battery is swapped or the reset button pressed.
        woke.MarkSleeping();
        RunJournal started = RunJournal.Open(_flash, timerWake: false);
        Assert.Equal("power_on", started.ResetReason);
        Assert.False(started.WokeFromDeepSleep);
    }

    [Theory]
    [InlineData("watchdog", "watchdog")]
    [InlineData("panic", "panic")]
    [InlineData("software", "software")]
    [InlineData("config changed", "software")]
    public void A_deliberate_reboot_is_reported_with_its_cause(string why, string reported)
    {
        RunJournal.Open(_flash, timerWake: false).MarkReboot(why);
        Assert.Equal(reported, RunJournal.Open(_flash, timerWake: false).ResetReason);
    }

    [Theory]
    [InlineData("")]
    [InlineData("v1 awake")]
    [InlineData("v2 awake - 0 0")]
    [InlineData("v1 dancing - 0 0")]
    [InlineData("v1 awake - +5 0")]
    [InlineData("v1 awake - -200 0")]
    [InlineData("v1 awake - -60 -1")]
    [InlineData("v1 awake - -60 x")]
    public void A_damaged_record_gives_unknown_once_and_is_replaced_by_a_good_one(string damaged)
    {
        _flash.Write(RunJournal.Document, Encoding.UTF8.GetBytes(damaged));
        RunJournal journal = RunJournal.Open(_flash, timerWake: false);
        Assert.Equal("unknown", journal.ResetReason);
        Assert.Equal(0, journal.RssiDbm);
        Assert.Equal("unexpected", RunJournal.Open(_flash, timerWake: false).ResetReason);
    }

    [Fact]
    public void A_timer_wake_is_still_deep_sleep_whatever_the_record_says()
    {
        _flash.Write(RunJournal.Document, new byte[200]);
        Assert.Equal("deep_sleep", RunJournal.Open(_flash, timerWake: true).ResetReason);
    }

    [Fact]
    public void Battery_nodes_scan_for_the_signal_on_a_cold_start_and_then_every_24_wakes_keeping_the_last_value()
    {
        RunJournal journal = RunJournal.Open(_flash, timerWake: false);
        Assert.True(journal.RssiDue);
        journal.RecordRssi(-67);
        Assert.Equal(-67, journal.RssiDbm);
        journal.MarkSleeping();

        for (int wake = 1; wake < RunJournal.RssiRefreshWakes; wake++)
        {
            journal = RunJournal.Open(_flash, timerWake: true);
            Assert.False(journal.RssiDue, $"wake {wake} should not scan");
            Assert.Equal(-67, journal.RssiDbm);
            journal.MarkSleeping();
        }

        journal = RunJournal.Open(_flash, timerWake: true);
        Assert.True(journal.RssiDue);
        journal.RecordRssi(-74);
        journal.MarkSleeping();
        journal = RunJournal.Open(_flash, timerWake: true);
        Assert.False(journal.RssiDue);
        Assert.Equal(-74, journal.RssiDbm);
    }

    [Fact]
    public void A_node_that_never_measured_its_signal_scans_on_the_next_wake()
    {
        RunJournal.Open(_flash, timerWake: false).MarkSleeping();
        RunJournal journal = RunJournal.Open(_flash, timerWake: true);
        Assert.True(journal.RssiDue);
        journal.RecordRssi(0);
        Assert.Equal(0, journal.RssiDbm);
        journal.MarkSleeping();
        Assert.True(RunJournal.Open(_flash, timerWake: true).RssiDue);
    }
}
