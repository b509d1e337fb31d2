using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Node.Config;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Admin;

/// <summary>How a config change ended.</summary>
public enum NodeConfigOutcome
{
    Applied,
    UnknownNode,
    Malformed,
    Unsafe,
}

/// <summary>The result of <see cref="NodeConfigService.ApplyAsync"/>.</summary>
public sealed record NodeConfigResult(NodeConfigOutcome Outcome, long Revision, string? Error);

/// <summary>
/// Changes a node's config: the operator API (PUT /api/nodes/{id}/config) and the IOC's cloud-to-device messages
/// (IoT Hub) both come through here, so both follow the same rules — the firmware's own decoder checks the change,
/// the calibration guard refuses implausible factors, the change is audited, and it reaches the node as its retained
/// config topic with the next revision.
/// </summary>
public sealed class NodeConfigService(INodeDirectory registry, NodeBroker broker, IAuditLog audit, IOptions<AdminOptions> adminOptions)
{
    public async Task<NodeConfigResult> ApplyAsync(string id, string body, string who, CancellationToken ct)
    {
        NodeRecord? node = registry.Find(id);
        if (node == null)
        {
            return new(NodeConfigOutcome.UnknownNode, 0, $"no node \"{id}\"");
        }

        long revision = node.ConfigRevision + 1;
        string json;
        string? calibrationNote;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            var map = doc.RootElement.EnumerateObject().Where(p => p.Name is not ("rev" or "calibration_record")).ToDictionary(p => p.Name, p => p.Value.Clone());
            JsonElement? record = doc.RootElement.TryGetProperty("calibration_record", out JsonElement rec) ? rec.Clone() : null;
            string? refused = CalibrationGuard.Check(node.Config, map, record, adminOptions.Value.MaxCalibrationFactor, out calibrationNote);
            if (refused != null)
            {
                return new(NodeConfigOutcome.Unsafe, 0, refused);
            }

            map["rev"] = JsonSerializer.SerializeToElement(revision);
            json = JsonSerializer.Serialize(map);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return new(NodeConfigOutcome.Malformed, 0, "config must be a JSON object: " + ex.Message);
        }

        // The same rules the firmware applies: what the node would refuse is refused here, with its reason.
        if (ConfigDecoder.ApplyRemote(new NodeConfig(), Encoding.UTF8.GetBytes(json), out string error) == null)
        {
            return new(NodeConfigOutcome.Malformed, 0, error);
        }

        await broker.PublishConfigAsync(id, json, revision, ct).ConfigureAwait(false);
        await audit.RecordAsync(who, "node_config", id, calibrationNote == null ? $"rev {revision}" : $"rev {revision}; {calibrationNote}", ct).ConfigureAwait(false);
        return new(NodeConfigOutcome.Applied, revision, null);
    }
}
