using EdgeSensors.Ioc.Ingest.Report;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>The completeness arithmetic: holes, which of them a gateway reported dropped, and the percentage.</summary>
public sealed class CompletenessReportTests
{
    private static readonly Dictionary<(string, string), long> NoDuplicates = [];

    [Fact]
    public void Holes_covered_by_gap_records_are_dropped_by_policy_and_the_rest_missing()
    {
        // Received 1–100 and 151–200 and 211–300; the gateway reported 101–140 dropped (store full).
        var input = new CompletenessInput(
            [new SeqRun("hg", "n1", 7, 1, 100), new SeqRun("hg", "n1", 7, 151, 200), new SeqRun("hg", "n1", 7, 211, 300)],
            [new ReportedGap("hg", "n1", 7, 101, 140, "store_full")],
            new Dictionary<(string, string), long> { [("hg", "n1")] = 12 });
        CompletenessReport r = CompletenessReport.Build(input, DateTimeOffset.UnixEpoch);
        BootCompleteness b = Assert.Single(r.Boots);
        Assert.Equal(240, b.Received);
        Assert.Equal([new Hole(101, 140, 40, "store_full"), new Hole(141, 150, 10, null), new Hole(201, 210, 10, null)], b.Holes);
        Assert.Equal(20, b.Missing);
        Assert.Equal(40, b.DroppedByPolicy);
        Assert.Equal(Math.Round(100.0 * 240 / 260, 3), b.CompletenessPercent);
        Assert.Equal(12, Assert.Single(r.Sites).DuplicatesReceived);
    }

    [Fact]
    public void A_boot_received_from_its_first_seq_without_holes_is_complete()
    {
        var input = new CompletenessInput([new SeqRun("hg", "n1", 1, 1, 5000), new SeqRun("hg", "n2", 4, 1, 10)], [], NoDuplicates);
        CompletenessReport r = CompletenessReport.Build(input, DateTimeOffset.UnixEpoch);
        Assert.Equal(100, r.CompletenessPercent);
        Assert.Equal(0, r.Missing);
        Assert.Equal(5010, r.Received);
        Assert.All(r.Boots, b => Assert.Empty(b.Holes));
    }

    [Fact]
    public void Readings_missing_before_the_first_received_count_as_missing()
    {
        var input = new CompletenessInput([new SeqRun("hg", "n1", 2, 31, 60)], [], NoDuplicates);
        BootCompleteness b = Assert.Single(CompletenessReport.Build(input, DateTimeOffset.UnixEpoch).Boots);
        Assert.Equal(new Hole(1, 30, 30, null), Assert.Single(b.Holes));
        Assert.Equal(50, b.CompletenessPercent);
    }

    [Fact]
    public void The_tail_after_the_last_stored_reading_counts_once_the_gateways_mark_is_older_than_the_grace()
    {
        DateTimeOffset now = DateTimeOffset.UnixEpoch.AddDays(1);
        var input = new CompletenessInput(
            [new SeqRun("hg", "n1", 7, 1, 100)],
            [new ReportedGap("hg", "n1", 7, 111, 115, "store_full")],
            NoDuplicates,
            [
                new ForwardedMark("hg", "n1", 7, 120, now.AddMinutes(-5)), // forwarded through 120; 101–120 not here, 111–115 reported dropped
                new ForwardedMark("hg", "n2", 1, 40, now.AddMinutes(-5)),  // a boot of which nothing arrived at all
                new ForwardedMark("hg", "n3", 2, 9, now.AddSeconds(-10)),  // too fresh: its readings may still be in the queue
            ]);
        CompletenessReport r = CompletenessReport.Build(input, now);
        BootCompleteness n1 = r.Boots.Single(b => b.Node == "n1");
        Assert.Equal([new Hole(101, 110, 10, null), new Hole(111, 115, 5, "store_full"), new Hole(116, 120, 5, null)], n1.Holes);
        Assert.Equal(15, n1.Missing);
        BootCompleteness n2 = r.Boots.Single(b => b.Node == "n2");
        Assert.Equal((0L, 40L, 0.0), (n2.Received, n2.Missing, n2.CompletenessPercent));
        Assert.DoesNotContain(r.Boots, b => b.Node == "n3");
        Assert.Equal(55, r.Missing);

        // A mark at or below what arrived adds nothing; without marks the tail is not known (the report as before).
        var covered = new CompletenessInput([new SeqRun("hg", "n1", 7, 1, 100)], [], NoDuplicates, [new ForwardedMark("hg", "n1", 7, 100, now.AddHours(-1))]);
        Assert.Equal(100, CompletenessReport.Build(covered, now).CompletenessPercent);
    }
}
