namespace EdgeSensors.Ioc.Ingest.Decoding;

/// <summary>One reading as the IOC keeps it: its id (site, node, boot, seq), times (Unix s), quality and fields (JSON).</summary>
public sealed record ReadingRow(string Site, string Node, long Boot, long Seq, long Ts, long Rx, bool Sync, string Quality, long? NodeTs, string Fields);

/// <summary>An alert event (raise, acknowledgement, clearing) from a gateway.</summary>
public sealed record AlertRow(string Site, string Id, string? Node, string Kind, string Level, string State, long Ts, string Json);

/// <summary>A gateway's report that it dropped readings by policy (docs/protocol.md, gap records).</summary>
public sealed record GapRow(string Site, string Node, long Boot, long SeqFrom, long SeqTo, long Count, string Reason, long Ts);

/// <summary>A message the ingest refused: kept for inspection, counted, never retried.</summary>
public sealed record ParkedRow(string Topic, string Reason, byte[] Body, int Size);

/// <summary>Where a node stands, from a readings message's optional <c>loc</c> (the gateway's registry): for SensorThings' Locations.</summary>
public sealed record StationRow(string Site, string Node, double Lat, double Lon, string? Name);

/// <summary>A gateway's forwarded high-water mark for (node, boot): every reading up to seq was forwarded and acknowledged by the IOC's broker.</summary>
public sealed record MarkRow(string Site, string Node, long Boot, long Seq, long Ts);

/// <summary>What one message carried: readings (with the node's location when the gateway gave it), an alert, a gap, high-water marks, or a refusal.</summary>
public sealed record DecodedMessage(IReadOnlyList<ReadingRow> Readings, AlertRow? Alert, GapRow? Gap, ParkedRow? Parked, StationRow? Station = null, IReadOnlyList<MarkRow>? Marks = null)
{
    public static DecodedMessage Park(string topic, string reason, byte[] body, int keep) =>
        new([], null, null, new ParkedRow(topic, reason, body.Length <= keep ? body : body[..keep], body.Length));
}
