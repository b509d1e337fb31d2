using System.Text.Json;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink.IotHub;
using EdgeSensors.Gateway.UseCases;

namespace EdgeSensors.Gateway.Admin;

/// <summary>
/// The IOC's cloud-to-device commands (docs/uplink.md, "Cloud-to-device"). One kind is understood:
/// <c>{"type":"node-config","node":"hg-vithanh-001","config":{"interval_s":300}}</c>, handed to the core's
/// <see cref="NodeConfiguration"/> with the IOC as the caller: only what IocAuthority allows, within its bounds and
/// rate, audited as "iothub-c2d". Anything else is refused with its reason, and the refusal is audited too (the SOC
/// sees both).
/// </summary>
public sealed class CloudCommandHandler(NodeConfiguration configs, IAuditLog audit) : ICloudCommandHandler
{
    private const string Who = ConfigCaller.IocAccount;
    private const int MaxBody = 64 * 1024;

    public async Task<CloudCommandResult> HandleAsync(IReadOnlyDictionary<string, string> properties, ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        CloudCommandResult result = await ApplyAsync(body, ct).ConfigureAwait(false);
        if (!result.Applied)
        {
            properties.TryGetValue("$.mid", out string? mid);
            await audit.RecordAsync(Who, "c2d_refused", mid, result.Detail, ct).ConfigureAwait(false);
        }

        return result;
    }

    private async Task<CloudCommandResult> ApplyAsync(ReadOnlyMemory<byte> body, CancellationToken ct)
    {
        if (body.Length > MaxBody)
        {
            return new(false, $"the message is {body.Length} bytes; commands are at most {MaxBody}");
        }

        string? type, node;
        string config;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
            {
                return new(false, "the message is not a JSON object");
            }

            type = doc.RootElement.TryGetProperty("type", out JsonElement t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null;
            node = doc.RootElement.TryGetProperty("node", out JsonElement n) && n.ValueKind == JsonValueKind.String ? n.GetString() : null;
            if (type != "node-config")
            {
                return new(false, type == null ? "the message has no \"type\"; the gateway understands \"node-config\"" : $"unknown command type \"{type}\"; the gateway understands \"node-config\"");
            }

            if (node == null || !doc.RootElement.TryGetProperty("config", out JsonElement c) || c.ValueKind != JsonValueKind.Object)
            {
                return new(false, "a node-config command needs \"node\" (a node id) and \"config\" (an object)");
            }

            config = c.GetRawText();
        }
        catch (JsonException ex)
        {
            return new(false, "the message is not JSON: " + ex.Message);
        }

        UseCaseOutcome<long> r = await configs.ApplyAsync(node, config, ConfigCaller.Ioc, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok
            ? new(true, $"node {node}: config revision {r.Value} sent to the node")
            : new(false, $"node {node}: {r.Error}");
    }
}
