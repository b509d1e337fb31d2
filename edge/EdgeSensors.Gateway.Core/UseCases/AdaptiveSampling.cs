using System.Text.Json;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>
/// Applies the sampling planner's decisions (issue 31) through the node-configuration use case, as the gateway
/// ("gateway:sampling" in the audit): the node's retained config gets the new interval_s, which a battery node takes
/// at its next wake — or refuses, saying so in its status, when its charge cannot pay for it. Only a changed interval
/// is written, and a node's interval at most once per <see cref="SamplingOptions.MinMinutesBetweenChanges"/>, so a
/// station hovering at a threshold does not rewrite its config every reading.
/// An interval an operator or the IOC set stands: the planner changes only a node whose interval is the default or
/// was last written by the planner itself (from the audit, per config revision).
/// A node that refuses a config (its status's config_error, e.g. an interval its battery cannot pay for) is heard:
/// logged and audited once per distinct reason, as the node's own word ("node_config_refused").
public sealed class AdaptiveSampling(AlertEngine engine, NodeConfiguration configuration, INodeDirectory registry, IAuditLog audit, IOptions<SamplingOptions> options, ILogger<AdaptiveSampling> log, INodeStatusFeed? statuses = null, TimeProvider? time = null) : BackgroundService
{
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _refusals = new(StringComparer.Ordinal);

    private readonly Dictionary<string, (long Revision, bool Ours)> _owner = new(StringComparer.Ordinal);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, DateTimeOffset> _changed = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (statuses != null)
        {
            statuses.StatusReceived += OnStatus;
        }

        try
        {
            await foreach ((string node, SamplingDecision d) in engine.SamplingDecisions.Reader.ReadAllAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await ApplyAsync(node, d, stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // A store that cannot write (locked, full, damaged) must not stop the gateway: an unhandled
                    // exception here ended the host (seen in CI with the store locked). The next reading decides again.
                    log.LogWarning("Sampling: the interval for {NodeId} could not be written ({Reason}); the next reading decides again", node, ex.Message);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            if (statuses != null)
            {
                statuses.StatusReceived -= OnStatus;
            }
        }
    }

    private void OnStatus(string node, JsonElement status)
    {
        string? error = status.ValueKind == JsonValueKind.Object && status.TryGetProperty("config_error", out JsonElement e) && e.ValueKind == JsonValueKind.String ? e.GetString() : null;
        if (string.IsNullOrEmpty(error))
        {
            _refusals.TryRemove(node, out _);
            return;
        }

        // The node's own words, bounded before they reach a log or the audit.
        string reason = error.Length > 200 ? error[..200] : error;
        if (_refusals.TryGetValue(node, out string? known) && known == reason)
        {
            return;
        }

        _refusals[node] = reason;
        log.LogWarning("Node {NodeId} refused its config: {Reason}", node, reason);
        _ = audit.RecordAsync(node, "node_config_refused", node, reason, CancellationToken.None).ContinueWith(
            t => log.LogWarning("Could not audit {NodeId}'s refusal: {Reason}", node, t.Exception?.GetBaseException().Message),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    /// <summary>Writes the decision when it changes the node's interval (the value is the new revision, or null when nothing was written).</summary>
    public async Task<long?> ApplyAsync(string node, SamplingDecision d, CancellationToken ct)
    {
        NodeRecord? record = registry.Find(node);
        int? current = record == null ? null : RemoteInterval(record);
        if (record == null || current == d.IntervalSeconds || !Ours(record))
        {
            return null;
        }

        DateTimeOffset now = _time.GetUtcNow();
        if (_changed.TryGetValue(node, out DateTimeOffset last) && now - last < TimeSpan.FromMinutes(options.Value.MinMinutesBetweenChanges))
        {
            return null;
        }

        // A null interval withdraws the gateway's: the node goes back to its own (its node.json's).
        string value = d.IntervalSeconds is int seconds ? seconds.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null";
        UseCaseOutcome<long> outcome = await configuration.ApplyAsync(node, $"{{\"v\":1,\"interval_s\":{value}}}", ConfigCaller.Sampling, ct).ConfigureAwait(false);
        if (outcome.Status != UseCaseStatus.Ok)
        {
            log.LogWarning("Sampling: interval {Interval} for {NodeId} not written: {Reason}", value, node, outcome.Error);
            return null;
        }

        _changed[node] = now;
        log.LogInformation("Sampling: {NodeId} interval {Interval} ({Reason}), config rev {Revision}", node, d.IntervalSeconds is int s2 ? s2 + " s" : "its own", d.Reason, outcome.Value);
        return outcome.Value;
    }

    /// <summary>True when the node's interval is the planner's to change: never set, or last set by the planner.</summary>
    private bool Ours(NodeRecord record)
    {
        if (_owner.TryGetValue(record.Id, out var known) && known.Revision == record.ConfigRevision)
        {
            return known.Ours;
        }

        bool ours = true;
        if (record.Config != null && record.Config.Contains("\"interval_s\"", StringComparison.Ordinal))
        {
            AuditEntry? last = audit.List(5000).FirstOrDefault(e => e.Action == "node_config" && e.Target == record.Id && (e.Detail ?? string.Empty).Contains("interval_s", StringComparison.Ordinal));
            ours = last?.Account == ConfigCaller.Sampling.Name;
            if (!ours)
            {
                log.LogInformation("Sampling: {NodeId}'s interval was set by {Account}; the gateway leaves it", record.Id, last?.Account ?? "an operator");
            }
        }

        _owner[record.Id] = (record.ConfigRevision, ours);
        return ours;
    }

    /// <summary>The interval the node's retained config sets, or null when it sets none (the node's own applies).</summary>
    private static int? RemoteInterval(NodeRecord record)
    {
        if (record.Config == null)
        {
            return null;
        }

        try
        {
            using JsonDocument doc = JsonDocument.Parse(record.Config);
            return doc.RootElement.TryGetProperty("interval_s", out JsonElement i) && i.TryGetInt32(out int v) ? v : null;
        }
        catch (JsonException)
        {
            return -1;
        }
    }
}
