using System.Diagnostics;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Ioc.Ingest.Pipeline;

/// <summary>
/// Takes messages off the inbound queue in batches, decodes each once, commits the batch in one transaction, and only
/// then acknowledges every message of it to the broker. A crash before the commit leaves the batch unacknowledged:
/// the broker delivers it again (to this instance or another) and the store's key keeps each reading once. A bad
/// message is parked in the same transaction and acknowledged with the rest, so it never comes back and never holds
/// up the messages behind it. A failing database stops acknowledgements (the broker keeps the messages) and the
/// batch is retried with backoff.
/// </summary>
public sealed class IngestPipeline(InboundBuffer queue, IIngestStore store, IOptions<IngestOptions> options, IngestMetrics metrics, ILogger<IngestPipeline> log) : BackgroundService
{
    private readonly IngestOptions _options = options.Value;
    private readonly IocMessageDecoder _decoder = new(options.Value.MaxMessageBytes, TimeSpan.FromDays(options.Value.MaxAgeDays), TimeSpan.FromSeconds(options.Value.MaxFutureSeconds));

    /// <summary>When the last batch committed (for /health).</summary>
    public DateTimeOffset? LastCommit { get; private set; }

    public string? LastError { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        string instance = _options.EffectiveInstanceName;
        var batch = new List<InboundMessage>(_options.BatchMaxMessages);
        while (!stoppingToken.IsCancellationRequested)
        {
            batch.Clear();
            try
            {
                if (!await queue.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
                {
                    return;
                }

                await FillAsync(batch, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            List<DecodedMessage> decoded = batch.Select(m => _decoder.Decode(m.Topic, m.Body)).ToList();
            CommitResult result = await CommitWithRetryAsync(decoded, instance, stoppingToken).ConfigureAwait(false);
            if (stoppingToken.IsCancellationRequested && LastError != null)
            {
                return; // not committed: nothing is acknowledged, the broker delivers it again
            }

            foreach (InboundMessage m in batch)
            {
                try
                {
                    await m.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    // The broker link dropped after the commit: it delivers again and the key keeps each reading once.
                    log.LogDebug(ex, "Acknowledgement lost after commit; the broker will redeliver");
                }
            }

            metrics.Readings.WithLabels("stored").Inc(result.Stored);
            metrics.Readings.WithLabels("duplicate").Inc(result.Duplicates - result.Conflicts);
            metrics.Readings.WithLabels("conflict").Inc(result.Conflicts);
            if (result.Conflicts > 0)
            {
                log.LogWarning("Batch of {Messages} messages: {Conflicts} readings came again with other values than those stored (kept aside: /api/conflicts)", batch.Count, result.Conflicts);
            }

            metrics.Alerts.Inc(result.Alerts);
            metrics.Gaps.Inc(result.Gaps);
            metrics.Messages.WithLabels("stored").Inc(batch.Count - result.Parked);
            metrics.Messages.WithLabels("parked").Inc(result.Parked);
            metrics.BatchMessages.Observe(batch.Count);
            foreach (DecodedMessage d in decoded.Where(d => d.Parked != null))
            {
                metrics.Parked.WithLabels(ReasonClass(d.Parked!.Reason)).Inc();
                log.LogWarning("Parked a message from {Topic}: {Reason} ({Size} bytes)", d.Parked.Topic, d.Parked.Reason, d.Parked.Size);
            }

            if (result.Duplicates > 0)
            {
                log.LogInformation("Batch of {Messages} messages: {Stored} readings stored, {Duplicates} already stored (redelivered or re-sent)", batch.Count, result.Stored, result.Duplicates);
            }
        }
    }

    private async Task FillAsync(List<InboundMessage> batch, CancellationToken ct)
    {
        long deadline = Stopwatch.GetTimestamp() + (long)(_options.BatchMaxDelayMs * Stopwatch.Frequency / 1000.0);
        while (batch.Count < _options.BatchMaxMessages)
        {
            if (queue.Reader.TryRead(out InboundMessage? m))
            {
                batch.Add(m);
                continue;
            }

            TimeSpan left = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), deadline);
            if (left <= TimeSpan.Zero || batch.Count > 0 && _options.BatchMaxDelayMs == 0)
            {
                return;
            }

            using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
            wait.CancelAfter(left);
            try
            {
                if (!await queue.Reader.WaitToReadAsync(wait.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested)
            {
                return;
            }
        }
    }

    private async Task<CommitResult> CommitWithRetryAsync(List<DecodedMessage> decoded, string instance, CancellationToken ct)
    {
        int attempt = 0;
        while (true)
        {
            long start = Stopwatch.GetTimestamp();
            try
            {
                CommitResult result = await store.CommitAsync(decoded, instance, ct).ConfigureAwait(false);
                metrics.CommitSeconds.Observe(Stopwatch.GetElapsedTime(start).TotalSeconds);
                LastCommit = DateTimeOffset.UtcNow;
                LastError = null;
                return result;
            }
            catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                attempt++;
                metrics.CommitFailures.Inc();
                LastError = ex.Message;
                int delay = Math.Min(100 << Math.Min(attempt, 8), 30_000);
                log.LogError("Database commit failed ({Reason}); nothing acknowledged, retrying in {DelayMs} ms", ex.Message, delay);
                try
                {
                    await Task.Delay(delay, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                    return new CommitResult(0, 0, 0, 0, 0);
                }
            }
        }
    }

    private static string ReasonClass(string reason) =>
        reason.StartsWith("oversize", StringComparison.Ordinal) ? "oversize"
        : reason.StartsWith("not JSON", StringComparison.Ordinal) || reason.StartsWith("not a JSON", StringComparison.Ordinal) ? "malformed"
        : reason.StartsWith("unknown schema", StringComparison.Ordinal) || reason.StartsWith("no schema", StringComparison.Ordinal) ? "schema_version"
        : reason.StartsWith("unknown message kind", StringComparison.Ordinal) ? "unknown_kind"
        : "invalid";
}
