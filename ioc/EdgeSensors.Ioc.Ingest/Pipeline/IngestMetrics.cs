using Prometheus;

namespace EdgeSensors.Ioc.Ingest.Pipeline;

/// <summary>The ingest's Prometheus metrics, in their own registry (served at /metrics).</summary>
public sealed class IngestMetrics
{
    public IngestMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        MetricFactory f = Metrics.WithCustomRegistry(Registry);
        Messages = f.CreateCounter("ioc_ingest_messages_total", "Messages taken from the source, by result: stored (readings, alert or gap committed), parked (refused, kept for inspection).", "result");
        Readings = f.CreateCounter("ioc_ingest_readings_total", "Readings received, by result: stored (new), duplicate (already stored with the same values: a re-send or a redelivery), conflict (an id stored before with other values: kept aside, /api/conflicts).", "result");
        Alerts = f.CreateCounter("ioc_ingest_alerts_total", "Alert events stored.");
        Gaps = f.CreateCounter("ioc_ingest_gap_records_total", "Gap records (readings a gateway dropped by policy) stored.");
        Parked = f.CreateCounter("ioc_ingest_parked_total", "Messages refused and parked, by reason class.", "reason");
        CommitFailures = f.CreateCounter("ioc_ingest_commit_failures_total", "Batches the database did not commit (retried; nothing acknowledged meanwhile).");
        CommitSeconds = f.CreateHistogram("ioc_ingest_commit_seconds", "Time to commit one batch.", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(0.001, 2, 14) });
        BatchMessages = f.CreateHistogram("ioc_ingest_batch_messages", "Messages per committed batch.", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 12) });
        SourceConnected = f.CreateGauge("ioc_ingest_source_connected", "1 while connected to the broker.");
        Completeness = f.CreateGauge("ioc_ingest_completeness_percent", "Received / (received + missing) per site; readings the gateways reported dropped are not missing.", "site");
        Missing = f.CreateGauge("ioc_ingest_missing_readings", "Readings not received and not reported dropped, per site.", "site");
        DroppedByPolicy = f.CreateGauge("ioc_ingest_dropped_by_policy_readings", "Readings the gateways reported dropped by policy (gap records), per site.", "site");
    }

    public CollectorRegistry Registry { get; }

    public Counter Messages { get; }

    public Counter Readings { get; }

    public Counter Alerts { get; }

    public Counter Gaps { get; }

    public Counter Parked { get; }

    public Counter CommitFailures { get; }

    public Histogram CommitSeconds { get; }

    public Histogram BatchMessages { get; }

    public Gauge SourceConnected { get; }

    public Gauge Completeness { get; }

    public Gauge Missing { get; }

    public Gauge DroppedByPolicy { get; }
}
