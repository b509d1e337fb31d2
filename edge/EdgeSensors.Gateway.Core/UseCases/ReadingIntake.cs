using System.Text.Json;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Logging;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>Why a node's message was not taken: the refusal reason (edgesensors_refused_total's label) and a line for the node.</summary>
public sealed record IntakeRefusal(string Reason, string Detail);

/// <summary>The limits a node's message is held to (from the broker's options).</summary>
public sealed record IntakeLimits(int MaxPayloadBytes, long MaxFutureSkewSeconds, long EarliestPlausibleTs);

/// <summary>A node's status as taken: online or not, and the document.</summary>
public sealed record IntakeStatus(bool Online, JsonElement Document, string Text);

/// <summary>
/// What a node sends, taken in one place (issue 29: the MQTT interceptor held the rules): its size, its form and
/// times (the protocol's parser), the store's durable commit, and the quarantine for what is refused. The caller is
/// the node whose credentials and topic the broker has already checked; the broker only translates the outcome into
/// MQTT (the PUBACK's reason code, or no PUBACK at all when the store failed, which this lets through as an exception).
/// </summary>
public sealed class ReadingIntake(IReadingWriter store, IQuarantine quarantine, GatewayMetrics metrics, ILogger<ReadingIntake> log, IntakeLimits limits)
{
    /// <summary>Stores a telemetry message durably; null when stored (duplicates included), else why not (already quarantined).</summary>
    public async Task<IntakeRefusal?> TelemetryAsync(string node, string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        if (payload.Length > limits.MaxPayloadBytes)
        {
            return await RefuseAsync(node, topic, payload, RefusalReason.Oversize, $"payload of {payload.Length} bytes is over the {limits.MaxPayloadBytes}-byte limit", ct).ConfigureAwait(false);
        }

        long rx = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        TelemetryParseResult parsed = TelemetryParser.Parse(node, payload.Span, rx, limits.MaxFutureSkewSeconds, limits.EarliestPlausibleTs);
        if (!parsed.Ok)
        {
            return await RefuseAsync(node, topic, payload, RefusalReason.Malformed, parsed.Error!, ct).ConfigureAwait(false);
        }

        metrics.ReadingsReceived.Inc(parsed.Readings.Count);
        int implausible = parsed.Readings.Count(r => r.NodeTs != null);
        if (implausible > 0)
        {
            metrics.ReadingsTsImplausible.Inc(implausible);
            log.LogWarning("{NodeId} sent {Count} samples with an implausible time; kept at the receive time and flagged", node, implausible);
        }

        // Stored and duplicate readings are counted by the store, where the commit happens. A failure propagates: the
        // broker then sends no PUBACK and the node sends the readings again.
        await store.StoreAsync(parsed.Readings, ct).ConfigureAwait(false);
        return null;
    }

    /// <summary>Checks a status message; the status, or why it was refused (already quarantined).</summary>
    public async Task<(IntakeStatus? Status, IntakeRefusal? Refusal)> StatusAsync(string node, string topic, ReadOnlyMemory<byte> payload, CancellationToken ct)
    {
        try
        {
            if (!System.Text.Unicode.Utf8.IsValid(payload.Span))
            {
                throw new JsonException("status is not valid UTF-8");
            }

            using JsonDocument doc = JsonDocument.Parse(payload);
            JsonElement root = doc.RootElement;
            if (payload.Length > 4096 || root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("node", out JsonElement n) || n.ValueKind != JsonValueKind.String || n.GetString() != node
                || !root.TryGetProperty("online", out JsonElement o) || o.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            {
                throw new JsonException("status must be an object of at most 4 KiB with this node's \"node\" and an \"online\" flag");
            }

            return (new IntakeStatus(o.GetBoolean(), root.Clone(), System.Text.Encoding.UTF8.GetString(payload.Span)), null);
        }
        catch (JsonException ex)
        {
            return (null, await RefuseAsync(node, topic, payload, RefusalReason.Malformed, ex.Message, ct).ConfigureAwait(false));
        }
    }

    private async Task<IntakeRefusal> RefuseAsync(string node, string topic, ReadOnlyMemory<byte> payload, string reason, string detail, CancellationToken ct)
    {
        await quarantine.AddAsync(node, topic, $"{reason}: {detail}", payload, ct).ConfigureAwait(false);
        return new IntakeRefusal(reason, detail);
    }
}
