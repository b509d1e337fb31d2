using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Store;

namespace EdgeSensors.Ioc.Ingest.Report;

/// <summary>`EdgeSensors.Ioc.Ingest report [--site S] [--json]`: the completeness report from the store, for an operator's terminal.</summary>
public static class ReportCommand
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true };

    public static Command Create(Func<IngestOptions> options)
    {
        var site = new Option<string?>("--site") { Description = "Only this site (gateway) id." };
        var json = new Option<bool>("--json") { Description = "The report as JSON (the same as GET /api/completeness)." };
        var holes = new Option<int>("--holes") { Description = "Holes listed per node and boot (default 5).", DefaultValueFactory = _ => 5 };
        var cmd = new Command("report", "Print what is complete and what is missing, per site, node and boot.") { site, json, holes };
        cmd.TreatUnmatchedTokensAsErrors = false; // --Ingest:Store:… settings pass through to the configuration
        cmd.SetAction(async (p, ct) =>
        {
            IngestOptions o = options();
            await using IIngestStore store = o.Store.Kind == "postgres" ? new PostgresIngestStore(o.Store.EffectivePostgres ?? throw new InvalidOperationException("Ingest:Store:PostgresConnectionString is not set")) : new SqliteIngestStore(o.Store.SqlitePath);
            if (o.Store.Kind == "sqlite" && !File.Exists(o.Store.SqlitePath))
            {
                await Console.Error.WriteLineAsync($"No ingest database at {Path.GetFullPath(o.Store.SqlitePath)}: start the ingest first, or give --Ingest:Store:SqlitePath=…").ConfigureAwait(false);
                return 2;
            }

            await store.InitializeAsync(ct).ConfigureAwait(false);
            CompletenessReport report = CompletenessReport.Build(await store.CompletenessInputAsync(p.GetValue(site), ct).ConfigureAwait(false), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(o.MarkGraceSeconds));
            if (p.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(report, Json));
                return 0;
            }

            Print(report, p.GetValue(holes));
            return report.Missing == 0 ? 0 : 1;
        });
        return cmd;
    }

    private static void Print(CompletenessReport report, int holes)
    {
        CultureInfo c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"Completeness at {report.At:yyyy-MM-dd HH:mm:ss}Z: {report.CompletenessPercent:0.###} % — {report.Received:N0} readings received, {report.Missing:N0} missing, {report.DroppedByPolicy:N0} dropped by gateway policy (reported)"));
        Console.WriteLine();
        Console.WriteLine($"{"site",-24} {"nodes",5} {"received",12} {"missing",9} {"dropped",9} {"dup. recv.",10} {"complete",9}");
        foreach (SiteCompleteness s in report.Sites)
        {
            Console.WriteLine(string.Create(c, $"{s.Site,-24} {s.Nodes,5} {s.Received,12:N0} {s.Missing,9:N0} {s.DroppedByPolicy,9:N0} {s.DuplicatesReceived,10:N0} {s.CompletenessPercent,8:0.###}%"));
        }

        var incomplete = report.Boots.Where(b => b.Holes.Count > 0).ToList();
        if (incomplete.Count == 0)
        {
            Console.WriteLine();
            Console.WriteLine("No holes: every sequence number from 1 to the last received is here.");
            return;
        }

        Console.WriteLine();
        Console.WriteLine("Holes (seq ranges not received):");
        foreach (BootCompleteness b in incomplete)
        {
            Console.WriteLine(string.Create(c, $"  {b.Site}/{b.Node} boot {b.Boot}: {b.Received:N0} of seq {b.FirstSeq}…{b.LastSeq}, {b.Missing:N0} missing, {b.DroppedByPolicy:N0} dropped"));
            foreach (Hole h in b.Holes.Take(holes))
            {
                Console.WriteLine(string.Create(c, $"    {h.From}–{h.To} ({h.Count:N0}) {(h.DroppedReason == null ? "MISSING" : "dropped by the gateway: " + h.DroppedReason)}"));
            }

            if (b.Holes.Count > holes)
            {
                Console.WriteLine($"    … {b.Holes.Count - holes} more");
            }
        }
    }
}
