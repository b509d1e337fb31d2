using EdgeSensors.Node.Desktop;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Tests.Outbox;

public class SampleOutboxTests
{
    private static Sample MakeSample(uint boot, uint seq, double salinity = 1.5)
    {
        var r = new Reading { SalinityPpt = salinity, WaterTempC = 28.4, LevelM = -0.25 };
        return new Sample(boot, seq, 1764028800 + seq, seq % 2 == 0, r);
    }

    [Fact]
    public void Samples_survive_a_reboot_in_order_with_their_values()
    {
        using var dir = new TempDirectory();
        string path = dir.File("outbox.bin");
        using (var storage = new FileStorage(path))
        {
            var outbox = SampleOutbox.Open(storage, 100);
            for (uint s = 1; s <= 10; s++)
            {
                outbox.Append(MakeSample(7, s, s * 0.1));
            }

            outbox.Acknowledge(3);
        }

        // "Reboot": a new process opens the same file.
        using (var storage = new FileStorage(path))
        {
            var outbox = SampleOutbox.Open(storage, 100);
            Assert.Equal(7, outbox.Count);
            Assert.Equal(7u, outbox.LastBoot);
            Assert.Equal(10u, outbox.LastSeq);
            Sample[] pending = outbox.Peek(100);
            Assert.Equal([4u, 5u, 6u, 7u, 8u, 9u, 10u], pending.Select(p => p.Seq));
            Assert.Equal(0.4, pending[0].Reading.SalinityPpt, 12);
            Assert.Equal(-0.25, pending[0].Reading.LevelM, 12);
            Assert.False(pending[0].Reading.Has(1));
            Assert.True(pending[0].ClockSynchronized);
            Assert.False(pending[1].ClockSynchronized);
            Assert.Equal(1764028804, pending[0].Timestamp);
        }
    }

    [Fact]
    public void When_full_the_oldest_are_dropped_first_and_counted_across_reboots()
    {
        var flash = new RamStorage();
        var outbox = SampleOutbox.Open(flash, 5);
        for (uint s = 1; s <= 8; s++)
        {
            outbox.Append(MakeSample(1, s));
        }

        Assert.Equal(5, outbox.Count);
        Assert.Equal(3u, outbox.Dropped);
        Assert.Equal([4u, 5u, 6u, 7u, 8u], outbox.Peek(10).Select(p => p.Seq));

        var reopened = SampleOutbox.Open(flash, 5);
        Assert.Equal(3u, reopened.Dropped);
        Assert.Equal([4u, 5u, 6u, 7u, 8u], reopened.Peek(10).Select(p => p.Seq));
    }

    [Fact]
    public void A_new_boot_never_reuses_a_boot_and_seq_pair()
    {
        var flash = new RamStorage();
        var seen = new HashSet<(uint, uint)>();
        var random = new Random(1);
        for (int boot = 0; boot < 50; boot++)
        {
            var outbox = SampleOutbox.Open(flash, 64);
            var sequencer = SampleSequencer.NewBoot(random, outbox.LastBoot);
            Assert.NotEqual(0u, sequencer.Boot);
            Assert.NotEqual(outbox.LastBoot, sequencer.Boot);
            for (int i = 0; i < 7; i++)
            {
                var s = MakeSample(sequencer.Boot, sequencer.Next());
                Assert.True(seen.Add((s.Boot, s.Seq)), $"reused {s.Boot}/{s.Seq}");
                outbox.Append(s);
            }
        }
    }

    [Fact]
    public void A_deep_sleep_wake_resumes_the_boot_and_seq()
    {
        var flash = new RamStorage();
        var outbox = SampleOutbox.Open(flash, 16);
        outbox.Append(MakeSample(99, 41));
        outbox.Acknowledge(1);
        var again = SampleOutbox.Open(flash, 16);
        var sequencer = SampleSequencer.Resume(again.LastBoot, again.LastSeq);
        Assert.Equal(99u, sequencer.Boot);
        Assert.Equal(42u, sequencer.Next());
    }

    [Fact]
    public void Peek_returns_one_boot_at_a_time()
    {
        var outbox = SampleOutbox.Open(new RamStorage(), 32);
        outbox.Append(MakeSample(1, 1));
        outbox.Append(MakeSample(1, 2));
        outbox.Append(MakeSample(2, 1));
        Assert.Equal(2, outbox.Peek(10).Length);
        outbox.Acknowledge(2);
        Sample[] next = outbox.Peek(10);
        Assert.Single(next);
        Assert.Equal(2u, next[0].Boot);
    }

    [Fact]
    public void A_write_torn_by_a_brown_out_loses_only_the_sample_being_written()
    {
        var flash = new RamStorage();
        var outbox = SampleOutbox.Open(flash, 16);
        outbox.Append(MakeSample(5, 1));
        outbox.Append(MakeSample(5, 2));
        flash.TearNextWrite(40); // power fails 40 bytes into the third record
        outbox.Append(MakeSample(5, 3));

        var reopened = SampleOutbox.Open(flash, 16);
        Assert.Equal([1u, 2u], reopened.Peek(10).Select(s => s.Seq));
        Assert.Equal(2u, reopened.LastSeq);
    }

    [Fact]
    public void A_torn_ledger_falls_back_to_the_other_copy()
    {
        var flash = new RamStorage();
        var outbox = SampleOutbox.Open(flash, 16);
        for (uint s = 1; s <= 4; s++)
        {
            outbox.Append(MakeSample(5, s));
        }

        outbox.Acknowledge(1);
        flash.TearNextWrite(10);
        outbox.Acknowledge(1); // this ledger write is torn: the ack of seq 2 is lost, not the data

        var reopened = SampleOutbox.Open(flash, 16);
        Assert.False(reopened.Recovered);
        Assert.Equal([2u, 3u, 4u], reopened.Peek(10).Select(s => s.Seq)); // seq 2 is re-sent; the gateway drops the duplicate
    }

    [Fact]
    public void Opening_with_another_capacity_is_refused_with_a_reason()
    {
        var flash = new RamStorage();
        SampleOutbox.Open(flash, 16).Append(MakeSample(1, 1));
        var ex = Assert.Throws<InvalidOperationException>(() => SampleOutbox.Open(flash, 32));
        Assert.Contains("16", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Outbox_matches_a_model_queue_under_random_operations()
    {
        // Model-based test: a list is the reference; appends, acks and reboots in random order must agree with it.
        var random = new Random(2026);
        var flash = new RamStorage();
        const int capacity = 20;
        var outbox = SampleOutbox.Open(flash, capacity);
        var model = new List<uint>();
        uint seq = 0;
        uint dropped = 0;
        for (int step = 0; step < 5000; step++)
        {
            int op = random.Next(10);
            if (op < 6)
            {
                outbox.Append(MakeSample(3, ++seq));
                model.Add(seq);
                if (model.Count > capacity)
                {
                    model.RemoveAt(0);
                    dropped++;
                }
            }
            else if (op < 9 && model.Count > 0)
            {
                int n = random.Next(1, model.Count + 1);
                Assert.Equal(model.Take(n), outbox.Peek(n).Select(s => s.Seq));
                outbox.Acknowledge(n);
                model.RemoveRange(0, n);
            }
            else
            {
                outbox = SampleOutbox.Open(flash, capacity);
            }

            Assert.Equal(model.Count, outbox.Count);
            Assert.Equal(dropped, outbox.Dropped);
        }
    }
}
