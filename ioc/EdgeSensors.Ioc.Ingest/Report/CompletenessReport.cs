namespace EdgeSensors.Ioc.Ingest.Report;

/// <summary>A run of consecutive sequence numbers received for one (site, node, boot).</summary>
public sealed record SeqRun(string Site, string Node, long Boot, long First, long Last);

/// <summary>A gap record: the gateway dropped these readings by policy and said so.</summary>
public sealed record ReportedGap(string Site, string Node, long Boot, long From, long To, string Reason);

/// <summary>
/// A gateway's forwarded high-water mark: it had forwarded every reading of (node, boot) up to <paramref name="Seq"/>
/// and the IOC's broker had acknowledged them. <paramref name="At"/> is when the ingest stored the mark (its own clock).
/// </summary>
public sealed record ForwardedMark(string Site, string Node, long Boot, long Seq, DateTimeOffset At);

/// <summary>What the store knows, for <see cref="CompletenessReport.Build"/>.</summary>
public sealed record CompletenessInput(IReadOnlyList<SeqRun> Runs, IReadOnlyList<ReportedGap> Gaps, IReadOnlyDictionary<(string Site, string Node), long> Duplicates,
    IReadOnlyList<ForwardedMark>? Marks = null);

/// <summary>A range of sequence numbers not received: reported by the gateway as dropped (with its reason), or missing.</summary>
public sealed record Hole(long From, long To, long Count, string? DroppedReason);

/// <summary>Per (site, node, boot): what arrived, the holes, and which of them the gateway reported.</summary>
public sealed record BootCompleteness(string Site, string Node, long Boot, long Received, long FirstSeq, long LastSeq, long Missing, long DroppedByPolicy, double CompletenessPercent, IReadOnlyList<Hole> Holes);

/// <summary>Per site: the sums over its nodes and boots.</summary>
public sealed record SiteCompleteness(string Site, int Nodes, long Received, long Missing, long DroppedByPolicy, long DuplicatesReceived, double CompletenessPercent);

/// <summary>
/// The completeness report (issue 14): sequence numbers count from 1 within a boot (docs/protocol.md), so every
/// seq from 1 to the highest one received should be here. A hole is "dropped by policy" where a gap record covers it,
/// and "missing" otherwise. Completeness = received / (received + missing): readings the gateway reported dropped
/// are not counted against the link. The tail after the last received seq is known from the gateways' forwarded
/// high-water marks (issue 32): what a gateway says it forwarded and the IOC does not hold is missing too — once the
/// mark is older than the grace (Ingest:MarkGraceSeconds, 60 s), so readings still in the queue ahead of it are not counted as lost.
/// </summary>
public sealed record CompletenessReport(DateTimeOffset At, IReadOnlyList<SiteCompleteness> Sites, IReadOnlyList<BootCompleteness> Boots)
{
    public long Received => Sites.Sum(s => s.Received);

    public long Missing => Sites.Sum(s => s.Missing);

    public long DroppedByPolicy => Sites.Sum(s => s.DroppedByPolicy);

    public double CompletenessPercent => Received + Missing == 0 ? 100 : 100.0 * Received / (Received + Missing);

    /// <param name="markGrace">How old a mark must be before the readings it covers are expected here (default: Ingest:MarkGraceSeconds's default).</param>
    public static CompletenessReport Build(CompletenessInput input, DateTimeOffset at, TimeSpan? markGrace = null)
    {
        var boots = new List<BootCompleteness>();
        var marks = (input.Marks ?? []).Where(m => m.At <= at - (markGrace ?? TimeSpan.FromSeconds(new Options.IngestOptions().MarkGraceSeconds))).GroupBy(m => (m.Site, m.Node, m.Boot)).ToDictionary(g => g.Key, g => g.Max(m => m.Seq));
        var keys = input.Runs.Select(r => (r.Site, r.Node, r.Boot)).Concat(marks.Keys).Distinct().OrderBy(k => k);
        var runsBy = input.Runs.ToLookup(r => (r.Site, r.Node, r.Boot));
        foreach (var key in keys)
        {
            var group = (Key: key, Runs: runsBy[key]);
            var runs = group.Runs.OrderBy(r => r.First).ToList();
            var gaps = input.Gaps.Where(g => g.Site == group.Key.Site && g.Node == group.Key.Node && g.Boot == group.Key.Boot).ToList();
            var holes = new List<Hole>();
            long expect = 1;
            foreach (SeqRun run in runs)
            {
                if (run.First > expect)
                {
                    holes.AddRange(Classify(expect, run.First - 1, gaps));
                }

                expect = Math.Max(expect, run.Last + 1);
            }

            if (marks.TryGetValue(key, out long mark) && mark >= expect)
            {
                holes.AddRange(Classify(expect, mark, gaps)); // forwarded by the gateway, never stored here: the tail
            }

            long received = runs.Sum(r => r.Last - r.First + 1);
            long missing = holes.Where(h => h.DroppedReason == null).Sum(h => h.Count);
            long dropped = holes.Where(h => h.DroppedReason != null).Sum(h => h.Count);
            boots.Add(new BootCompleteness(group.Key.Site, group.Key.Node, group.Key.Boot, received, runs.Count > 0 ? runs[0].First : 0, runs.Count > 0 ? runs[^1].Last : 0, missing, dropped,
                Percent(received, missing), holes));
        }

        var sites = boots.GroupBy(b => b.Site).OrderBy(g => g.Key).Select(g =>
        {
            long received = g.Sum(b => b.Received);
            long missing = g.Sum(b => b.Missing);
            long duplicates = input.Duplicates.Where(d => d.Key.Site == g.Key).Sum(d => d.Value);
            return new SiteCompleteness(g.Key, g.Select(b => b.Node).Distinct().Count(), received, missing, g.Sum(b => b.DroppedByPolicy), duplicates, Percent(received, missing));
        }).ToList();
        return new CompletenessReport(at, sites, boots);
    }

    private static double Percent(long received, long missing) => received + missing == 0 ? 100 : Math.Round(100.0 * received / (received + missing), 3);

    /// <summary>Splits a hole into the parts gap records cover and the parts they do not.</summary>
    private static IEnumerable<Hole> Classify(long from, long to, List<ReportedGap> gaps)
    {
        long at = from;
        foreach (ReportedGap g in gaps.Where(g => g.To >= from && g.From <= to).OrderBy(g => g.From))
        {
            long start = Math.Max(g.From, at);
            long end = Math.Min(g.To, to);
            if (end < start)
            {
                continue;
            }

            if (start > at)
            {
                yield return new Hole(at, start - 1, start - at, null);
            }

            yield return new Hole(start, end, end - start + 1, g.Reason);
            at = end + 1;
        }

        if (at <= to)
        {
            yield return new Hole(at, to, to - at + 1, null);
        }
    }
}
