using EdgeSensors.Gateway.Store;
using EdgeSensors.Node.Protocol;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>A node's new password, shown once (with the MQTT identity it goes with).</summary>
public sealed record NodeCredentials(string Id, string Secret);

/// <summary>
/// Registering, re-keying and removing nodes, one home for the rules whoever asks (the HTTP API, the CLI on a stopped
/// gateway's store): the id rule, the coordinates, the place and notes limits, the audit entry, and cutting off the
/// node's connection when its password changes or it goes (issue 29: offline `node add` skipped the place and notes
/// limits). <paramref name="sessions"/> is null where no broker runs (the CLI on a stopped gateway).
/// </summary>
public sealed class NodeAdministration(INodeDirectory registry, IAuditLog audit, INodeSessions? sessions)
{
    public const int MaxPlace = 200;
    public const int MaxNotes = 2000;

    public async Task<UseCaseOutcome<NodeCredentials>> AddAsync(string caller, string? id, double? lat, double? lon, string? place, string? notes, CancellationToken ct)
    {
        if (!Topics.IsValidNodeId(id))
        {
            return UseCaseOutcome.Fail<NodeCredentials>(UseCaseStatus.Invalid, "id must be 1–32 lower-case letters, digits or '-', not starting with '-' (e.g. hg-vithanh-012)");
        }

        if (lat is < -90 or > 90 || lon is < -180 or > 180 || (lat == null) != (lon == null))
        {
            return UseCaseOutcome.Fail<NodeCredentials>(UseCaseStatus.Invalid, "lat and lon go together: lat −90…90, lon −180…180 (Vị Thanh is about 9.78, 105.47)");
        }

        if (place?.Length > MaxPlace || notes?.Length > MaxNotes)
        {
            return UseCaseOutcome.Fail<NodeCredentials>(UseCaseStatus.Invalid, $"place is at most {MaxPlace} characters and notes at most {MaxNotes}");
        }

        string? secret = await registry.AddAsync(id!, lat, lon, place, notes, ct).ConfigureAwait(false);
        if (secret == null)
        {
            return UseCaseOutcome.Fail<NodeCredentials>(UseCaseStatus.Conflict, $"node \"{id}\" is already registered; use rotate-secret to give it a new password");
        }

        await audit.RecordAsync(caller, "node_add", id, place, ct).ConfigureAwait(false);
        return UseCaseOutcome.Ok(new NodeCredentials(id!, secret));
    }

    public async Task<UseCaseOutcome<NodeCredentials>> RotateSecretAsync(string caller, string id, CancellationToken ct)
    {
        string? secret = await registry.RotateSecretAsync(id, ct).ConfigureAwait(false);
        if (secret == null)
        {
            return UseCaseOutcome.Fail<NodeCredentials>(UseCaseStatus.NotFound, $"no node \"{id}\"");
        }

        await audit.RecordAsync(caller, "node_rotate_secret", id, null, ct).ConfigureAwait(false);
        if (sessions != null)
        {
            await sessions.DisconnectAsync(id).ConfigureAwait(false);
        }

        return UseCaseOutcome.Ok(new NodeCredentials(id, secret));
    }

    public async Task<UseCaseOutcome<string>> RemoveAsync(string caller, string id, CancellationToken ct)
    {
        if (!await registry.RemoveAsync(id, ct).ConfigureAwait(false))
        {
            return UseCaseOutcome.Fail<string>(UseCaseStatus.NotFound, $"no node \"{id}\"");
        }

        await audit.RecordAsync(caller, "node_remove", id, null, ct).ConfigureAwait(false);
        if (sessions != null)
        {
            await sessions.DisconnectAsync(id).ConfigureAwait(false);
        }

        return UseCaseOutcome.Ok(id);
    }
}
