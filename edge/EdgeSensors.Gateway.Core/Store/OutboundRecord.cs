using System.Text.Json;
using System.Text.Json.Serialization;

namespace EdgeSensors.Gateway.Store;

/// <summary>
/// What waits in the outbound lane for the IOC, as typed records (issue 29: alerts were stored as the wire's JSON and
/// parsed again to re-stamp them on the way out). Only the uplink's encoder turns them into the wire format, with the
/// site and the node's location as they are when the record leaves.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "$record")]
[JsonDerivedType(typeof(AlertStep), "alert")]
[JsonDerivedType(typeof(GapRecord), "gap")]
public abstract record OutboundRecord(string Node)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The lane's kind for this record (<see cref="OutboundKind"/>).</summary>
    public abstract string Kind { get; }

    /// <summary>The record as the lane keeps it.</summary>
    public string ToStored() => JsonSerializer.Serialize(this, Json);

    /// <summary>A stored record, or null for a row an older gateway queued as wire JSON (sent re-stamped).</summary>
    public static OutboundRecord? FromStored(string stored)
    {
        if (!stored.StartsWith("{\"$record\":", StringComparison.Ordinal))
        {
            return null;
        }

        return JsonSerializer.Deserialize<OutboundRecord>(stored, Json);
    }
}

/// <summary>A step of an alert (raised, acknowledged, cleared), as the IOC's alerts topic carries it.</summary>
public sealed record AlertStep(
    long AlertId, string Node, string AlertKind, string? Profile, string Level, string State, double Value, double Threshold, long Ts, string? By, string MsgVi, string MsgEn)
    : OutboundRecord(Node)
{
    public override string Kind => OutboundKind.Alert;

    public static AlertStep From(Alerts.AlertRecord a, string state) => new(
        a.Id, a.Node, a.Kind, a.Profile, a.Level, state, a.Value, a.Threshold,
        state == "acknowledged" ? a.AckedAt ?? a.UpdatedAt : a.UpdatedAt, state == "acknowledged" ? a.AckedBy : null, a.MsgVi, a.MsgEn);
}

/// <summary>Readings dropped by policy: a run of seqs of one (node, boot), with why.</summary>
public sealed record GapRecord(string Node, uint Boot, uint SeqFrom, uint SeqTo, int Count, string Reason, long Ts) : OutboundRecord(Node)
{
    public override string Kind => OutboundKind.Gap;
}
