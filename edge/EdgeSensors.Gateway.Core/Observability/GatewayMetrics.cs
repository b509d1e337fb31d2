using Prometheus;

namespace EdgeSensors.Gateway.Observability;

/// <summary>
/// The gateway's Prometheus metrics (prometheus-net). One registry per gateway instance, so tests can run several
/// in one process; served at /metrics.
/// </summary>
public sealed class GatewayMetrics
{
    public GatewayMetrics()
    {
        Registry = Metrics.NewCustomRegistry();
        var f = Metrics.WithCustomRegistry(Registry);
        ReadingsReceived = f.CreateCounter("edgesensors_readings_received_total", "Readings received in valid telemetry.");
        ReadingsStored = f.CreateCounter("edgesensors_readings_stored_total", "Readings stored durably (new).");
        ReadingsTsImplausible = f.CreateCounter("edgesensors_readings_ts_implausible_total", "Synced samples whose time was implausible (too far ahead, or before the network existed): kept at the receive time, flagged ts_implausible.");
        Bans = f.CreateCounter("edgesensors_bans_total", "Bans of password guessers (per address and client id, or per address) after repeated failed connects.");
        ReadingsDuplicate = f.CreateCounter("edgesensors_readings_duplicate_total", "Readings received again with a known (node, boot, seq); acknowledged, not stored twice.");
        ReadingsForwarded = f.CreateCounter("edgesensors_readings_forwarded_total", "Readings acknowledged by the IOC.");
        Refused = f.CreateCounter("edgesensors_refused_total", "Refused connections, publishes and subscriptions, by reason.", "reason");
        Dropped = f.CreateCounter("edgesensors_readings_dropped_total", "Readings dropped by policy, by reason (reported to the IOC as gaps).", "reason");
        HistoryEvicted = f.CreateCounter("edgesensors_history_evicted_total", "Forwarded readings evicted from local history to make room.");
        Commits = f.CreateCounter("edgesensors_store_commits_total", "Durable commits (fsyncs).");
        CommitFailures = f.CreateCounter("edgesensors_store_commit_failures_total", "Commits that failed (nothing of them was acknowledged).");
        CommitBatchSize = f.CreateHistogram("edgesensors_store_commit_readings", "Readings per commit (group commit).", new HistogramConfiguration { Buckets = Histogram.ExponentialBuckets(1, 2, 14) });
        Backlog = f.CreateGauge("edgesensors_backlog_readings", "Readings stored but not yet acknowledged by the IOC.");
        BacklogAge = f.CreateGauge("edgesensors_backlog_age_seconds", "Age of the oldest reading not yet acknowledged by the IOC.");
        StoreBytes = f.CreateGauge("edgesensors_store_bytes", "Live bytes in the database.");
        StoreLimitBytes = f.CreateGauge("edgesensors_store_limit_bytes", "Configured hard cap of the database.");
        UplinkConnected = f.CreateGauge("edgesensors_uplink_connected", "1 when connected to the IOC broker.");
        UplinkMessages = f.CreateCounter("edgesensors_uplink_messages_total", "Messages acknowledged by the IOC broker, by lane.", "lane");
        NodesConnected = f.CreateGauge("edgesensors_nodes_connected", "Nodes connected to the broker.");
        NodeSockets = f.CreateGauge("edgesensors_node_sockets_open", "Connections open on the node broker's ports, logged in or not (at most Broker:MaxConnections).");
        SocEvents = f.CreateCounter("edgesensors_soc_events_total", "Security events and audit entries for the SOC's syslog receiver: queued, sent, dropped (queue full while the receiver was away).", "result");
        StoreDiskFull = f.CreateCounter("edgesensors_store_disk_full_total", "Commits refused because the data directory's disk was full (nothing of them was acknowledged).");
        UplinkTokens = f.CreateCounter("edgesensors_uplink_tokens_total", "SAS tokens signed for the IoT Hub uplink, by why: connect, renew (before expiry, with nothing in flight).", "why");
        CloudCommands = f.CreateCounter("edgesensors_cloud_commands_total", "Cloud-to-device messages from IoT Hub, by result: applied, refused.", "result");
        SmsTexts = f.CreateCounter("edgesensors_sms_texts_total", "Texts to farmers by what happened: queued, handed (to gammu-smsd), sent, delivered, failed, suppressed; and why (kind or reason).", "state", "reason");
        SmsBacklog = f.CreateGauge("edgesensors_sms_backlog", "Texts not yet sent: queued here (quiet hours, or gammu-smsd-inject failing) and waiting in gammu-smsd's outbox (daemon stopped, no signal, no credit).");
        SmsReceived = f.CreateCounter("edgesensors_sms_received_total", "Texts received, by command: subscribe, cancel, status, help, unknown, invalid_number.", "command");
        Quarantined = f.CreateCounter("edgesensors_quarantined_total", "Payloads kept in quarantine.");
    }

    public CollectorRegistry Registry { get; }

    public Counter SocEvents { get; }

    public Counter StoreDiskFull { get; }

    public Counter ReadingsReceived { get; }

    public Counter ReadingsStored { get; }

    public Counter ReadingsDuplicate { get; }

    public Counter ReadingsTsImplausible { get; }

    public Counter Bans { get; }

    public Counter ReadingsForwarded { get; }

    public Counter Refused { get; }

    public Counter Dropped { get; }

    public Counter HistoryEvicted { get; }

    public Counter Commits { get; }

    public Counter CommitFailures { get; }

    public Histogram CommitBatchSize { get; }

    /// <summary>Connections open on the node ports, logged in or not.</summary>
    public Gauge NodeSockets { get; }

    public Gauge Backlog { get; }

    public Gauge BacklogAge { get; }

    public Gauge StoreBytes { get; }

    public Gauge StoreLimitBytes { get; }

    public Gauge UplinkConnected { get; }

    public Counter UplinkMessages { get; }

    public Gauge NodesConnected { get; }

    public Counter Quarantined { get; }

    public Counter UplinkTokens { get; }

    public Counter SmsTexts { get; }

    public Gauge SmsBacklog { get; }

    public Counter SmsReceived { get; }

    public Counter CloudCommands { get; }
}
