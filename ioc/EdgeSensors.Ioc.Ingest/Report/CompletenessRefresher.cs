using EdgeSensors.Ioc.Ingest.Pipeline;
using EdgeSensors.Ioc.Ingest.Store;

namespace EdgeSensors.Ioc.Ingest.Report;

/// <summary>
/// Keeps the completeness gauges in /metrics current (once a minute: the report reads every id's run), and applies the
/// parked messages' retention (<see cref="Options.IngestOptions.ParkedRetentionDays"/>).
/// </summary>
public sealed class CompletenessRefresher(IIngestStore store, IngestMetrics metrics, ILogger<CompletenessRefresher> log, Microsoft.Extensions.Options.IOptions<Options.IngestOptions>? options = null) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(60));
        do
        {
            try
            {
                CompletenessReport report = CompletenessReport.Build(await store.CompletenessInputAsync(null, stoppingToken).ConfigureAwait(false), DateTimeOffset.UtcNow, TimeSpan.FromSeconds((options?.Value ?? new Options.IngestOptions()).MarkGraceSeconds));
                foreach (SiteCompleteness s in report.Sites)
                {
                    metrics.Completeness.WithLabels(s.Site).Set(s.CompletenessPercent);
                    metrics.Missing.WithLabels(s.Site).Set(s.Missing);
                    metrics.DroppedByPolicy.WithLabels(s.Site).Set(s.DroppedByPolicy);
                }

                int days = options?.Value.ParkedRetentionDays ?? 30;
                int pruned = await store.PruneParkedAsync(DateTimeOffset.UtcNow.AddDays(-days), stoppingToken).ConfigureAwait(false);
                if (pruned > 0)
                {
                    log.LogInformation("Parked messages: {Count} older than {Days} days deleted", pruned, days);
                }
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                log.LogWarning("Completeness report failed: {Reason}", ex.Message);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false));
    }
}
