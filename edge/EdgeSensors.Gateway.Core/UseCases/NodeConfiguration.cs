using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Node.Config;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>
/// Every change of a node's config, whoever asks (issue 29): an operator through the API, the IOC through its
/// cloud-to-device channel, the gateway itself. One place checks the caller's authority (the IOC only what
/// <see cref="IocAuthorityOptions"/> allows, within its bounds and rate), the calibration guard, and the firmware's own
/// decoder; the accepted change is merged over what the node was last sent, so the retained config always holds the
/// node's whole remote state and the next guard compares with it, not with the last message; the audit says who
/// changed what, key by key, old → new.
/// </summary>
public sealed class NodeConfiguration(
    INodeDirectory registry,
    INodeConfigPublisher publisher,
    IAuditLog audit,
    IOptions<IocAuthorityOptions> ioc,
    double maxCalibrationFactor,
    ICalibrationBaselines? baselines = null,
    TimeProvider? time = null) : IDisposable
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, Queue<DateTimeOffset>> _iocChanges = new(StringComparer.Ordinal);

    // One change at a time: each reads the node's revision and last config and writes the next (cloud commands arrive
    // concurrently; without this, two became "rev 1" and the second overwrote the first's keys).
    private readonly SemaphoreSlim _gate = new(1, 1);

    /// <summary>Applies <paramref name="body"/> (a config document, partial) to node <paramref name="id"/> for <paramref name="caller"/>; the value is the new revision.</summary>
    public async Task<UseCaseOutcome<long>> ApplyAsync(string id, string body, ConfigCaller caller, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            return await ApplyLockedAsync(id, body, caller, ct).ConfigureAwait(false);
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task<UseCaseOutcome<long>> ApplyLockedAsync(string id, string body, ConfigCaller caller, CancellationToken ct)
    {
        NodeRecord? node = registry.Find(id);
        if (node == null)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.NotFound, $"no node \"{id}\"");
        }

        Dictionary<string, JsonElement> proposed;
        JsonElement? record;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return UseCaseOutcome.Fail<long>(UseCaseStatus.Invalid, "config must be a JSON object");
            }

            proposed = doc.RootElement.EnumerateObject().Where(p => p.Name is not ("rev" or "calibration_record")).ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
            record = doc.RootElement.TryGetProperty("calibration_record", out JsonElement rec) ? rec.Clone() : null;
        }
        catch (JsonException ex)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Invalid, "config must be a JSON object: " + ex.Message);
        }
        catch (ArgumentException)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Invalid, "config has a key twice");
        }

        if (caller.Kind == ConfigCallerKind.Gateway && (record != null || proposed.Keys.Any(k => k is not ("interval_s" or "v"))))
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Refused, "the gateway's own decisions may change interval_s only");
        }

        if (caller.Kind == ConfigCallerKind.Ioc && IocRefusal(id, proposed) is { } refused)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Refused, refused);
        }

        Dictionary<string, JsonElement> current = Parse(node.Config);
        bool recorded = IsRecordedCalibration(proposed, record);
        string? guard = CalibrationGuard.Check(node.Config, proposed, record, maxCalibrationFactor, out string? calibrationNote, recorded);
        if (guard != null)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Refused, guard);
        }

        // Cumulatively too: a change that is not itself a technician's recorded calibration (the wizard's, with its
        // technician and time, or one with a calibration record) is bounded against the last one that was — seven
        // ×0.8 steps no longer walk the gain from 1 to 0.23 (issue 29).
        if (proposed.ContainsKey("calibration") && !recorded
            && CalibrationGuard.Check(Baseline(id), proposed, null, maxCalibrationFactor, out _) is { } cumulative)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Refused, cumulative.Replace("would change by", "would change, against the last recorded calibration, by", StringComparison.Ordinal).Replace("would move by", "would move, against the last recorded calibration, by", StringComparison.Ordinal));
        }

        Dictionary<string, JsonElement> merged = Merge(current, proposed, caller.Kind == ConfigCallerKind.Gateway);
        long revision = node.ConfigRevision + 1;
        merged["rev"] = JsonSerializer.SerializeToElement(revision);
        string json = JsonSerializer.Serialize(merged);

        // The same rules the firmware applies: what the node would refuse is refused here, with its reason.
        if (ConfigDecoder.ApplyRemote(new NodeConfig(), Encoding.UTF8.GetBytes(json), out string error) == null)
        {
            return UseCaseOutcome.Fail<long>(UseCaseStatus.Invalid, error);
        }

        if (caller.Kind == ConfigCallerKind.Ioc)
        {
            _iocChanges.GetOrAdd(id, _ => new Queue<DateTimeOffset>()).Enqueue(_time.GetUtcNow());
        }

        await publisher.PublishConfigAsync(id, json, revision, ct).ConfigureAwait(false);
        if (recorded && baselines != null && merged.TryGetValue("calibration", out JsonElement calibration))
        {
            await baselines.SaveAsync(id, calibration.GetRawText(), ct).ConfigureAwait(false);
        }

        string changes = Changes(current, proposed);
        string detail = $"rev {revision}: {(changes.Length == 0 ? "no value changed" : changes)}" + (record is { ValueKind: JsonValueKind.Object } r && calibrationNote != null ? "; record " + r.GetRawText() : string.Empty);
        await audit.RecordAsync(caller.Name, "node_config", id, detail, ct).ConfigureAwait(false);
        return UseCaseOutcome.Ok(revision);
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>A technician's recorded calibration: the wizard's (technician and time in it), or any with a calibration record.</summary>
    private static bool IsRecordedCalibration(Dictionary<string, JsonElement> proposed, JsonElement? record) =>
        proposed.TryGetValue("calibration", out JsonElement cal) && cal.ValueKind == JsonValueKind.Object
        && (record is { ValueKind: JsonValueKind.Object }
            || (cal.TryGetProperty("technician", out JsonElement t) && t.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(t.GetString())
                && cal.TryGetProperty("calibrated_at", out JsonElement at) && at.ValueKind == JsonValueKind.String));

    /// <summary>The last recorded calibration as a config document (the firmware's defaults when none was recorded).</summary>
    private string Baseline(string id) => baselines?.Find(id) is { } cal ? "{\"calibration\":" + cal + "}" : "{\"calibration\":{\"ec_gain\":1,\"ec_offset\":0,\"battery_gain\":1}}";

    /// <summary>Why the IOC may not make this change; null when it may.</summary>
    private string? IocRefusal(string id, Dictionary<string, JsonElement> proposed)
    {
        IocAuthorityOptions policy = ioc.Value;
        foreach (string key in proposed.Keys.Where(k => k != "v"))
        {
            bool allowed = key == "calibration" ? policy.AllowCalibration && policy.AllowedKeys.Contains("calibration", StringComparer.Ordinal) : policy.AllowedKeys.Contains(key, StringComparer.Ordinal);
            if (!allowed)
            {
                return $"the IOC may not change \"{key}\" on this gateway (IocAuthority:AllowedKeys = {string.Join(", ", policy.AllowedKeys)}"
                    + (key == "calibration" ? "; calibration only with IocAuthority:AllowCalibration" : string.Empty) + ")";
            }
        }

        if (proposed.TryGetValue("interval_s", out JsonElement interval)
            && (!interval.TryGetInt32(out int seconds) || seconds < policy.MinIntervalSeconds || seconds > policy.MaxIntervalSeconds))
        {
            return $"the IOC may set interval_s only from {policy.MinIntervalSeconds} to {policy.MaxIntervalSeconds} s (IocAuthority:MinIntervalSeconds, MaxIntervalSeconds)";
        }

        Queue<DateTimeOffset> recent = _iocChanges.GetOrAdd(id, _ => new Queue<DateTimeOffset>());
        lock (recent)
        {
            DateTimeOffset now = _time.GetUtcNow();
            while (recent.Count > 0 && now - recent.Peek() > TimeSpan.FromHours(1))
            {
                recent.Dequeue();
            }

            if (recent.Count >= policy.MaxChangesPerNodePerHour)
            {
                return $"the IOC changed node {id} {recent.Count} times in the last hour; at most {policy.MaxChangesPerNodePerHour} (IocAuthority:MaxChangesPerNodePerHour)";
            }
        }

        return null;
    }

    private static Dictionary<string, JsonElement> Parse(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return new(StringComparer.Ordinal);
        }

        using JsonDocument doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
    }

    /// <summary>The last config sent, with the proposed keys over it (the calibration object merged key by key).</summary>
    /// <param name="nullRemoves">A null value withdraws the key (JSON merge patch, RFC 7396): the gateway's planner handing the interval back to the node's own.</param>
    private static Dictionary<string, JsonElement> Merge(Dictionary<string, JsonElement> current, Dictionary<string, JsonElement> proposed, bool nullRemoves = false)
    {
        var merged = new Dictionary<string, JsonElement>(current, StringComparer.Ordinal);
        foreach ((string key, JsonElement value) in proposed)
        {
            if (nullRemoves && value.ValueKind == JsonValueKind.Null)
            {
                merged.Remove(key);
            }
            else if (key == "calibration" && value.ValueKind == JsonValueKind.Object && current.TryGetValue(key, out JsonElement old) && old.ValueKind == JsonValueKind.Object)
            {
                var cal = old.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone(), StringComparer.Ordinal);
                foreach (JsonProperty p in value.EnumerateObject())
                {
                    cal[p.Name] = p.Value.Clone();
                }

                merged[key] = JsonSerializer.SerializeToElement(cal);
            }
            else
            {
                merged[key] = value;
            }
        }

        return merged;
    }

    /// <summary>"key old → new" for every proposed value that differs from what the node was last sent ("node's own" when never sent).</summary>
    private static string Changes(Dictionary<string, JsonElement> current, Dictionary<string, JsonElement> proposed)
    {
        var list = new List<string>();
        foreach ((string key, JsonElement value) in proposed.Where(p => p.Key != "v"))
        {
            if (value.ValueKind == JsonValueKind.Object)
            {
                JsonElement old = current.TryGetValue(key, out JsonElement o) && o.ValueKind == JsonValueKind.Object ? o : default;
                foreach (JsonProperty p in value.EnumerateObject())
                {
                    string? before = old.ValueKind == JsonValueKind.Object && old.TryGetProperty(p.Name, out JsonElement b) ? b.GetRawText() : null;
                    Add(list, key + "." + p.Name, before, p.Value.GetRawText());
                }
            }
            else
            {
                Add(list, key, current.TryGetValue(key, out JsonElement b) ? b.GetRawText() : null, value.GetRawText());
            }
        }

        return string.Join("; ", list);
    }

    private static void Add(List<string> list, string key, string? before, string after)
    {
        if (before != after)
        {
            list.Add(string.Create(CultureInfo.InvariantCulture, $"{key} {before ?? "(node's own)"} → {after}"));
        }
    }
}
