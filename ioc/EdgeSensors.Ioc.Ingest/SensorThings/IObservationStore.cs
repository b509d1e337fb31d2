using EdgeSensors.Ioc.Ingest.Decoding;

namespace EdgeSensors.Ioc.Ingest.SensorThings;

/// <summary>A station (a node of a site) as the IOC knows it: where it stands when a gateway said so, and the span of its readings.</summary>
public sealed record Station(string Site, string Node, double? Lat, double? Lon, string? Name, long FirstTs, long LastTs);

/// <summary>
/// Which readings to scan, in time order: one site and node (or all), only readings carrying <paramref name="Field"/>,
/// between two times (Unix s, inclusive).
/// </summary>
public sealed record ReadingScan(string? Site, string? Node, string? Field, long? FromTs, long? ToTs, bool Descending);

/// <summary>Where a scan resumes: the last row returned, by the scan's order (ts, site, node, boot, seq).</summary>
public sealed record ScanCursor(long Ts, string Site, string Node, long Boot, long Seq);

/// <summary>What SensorThings reads from the ingest's store (both stores implement it).</summary>
public interface IObservationStore
{
    Task<IReadOnlyList<Station>> StationsAsync(CancellationToken ct);

    /// <summary>Up to <paramref name="limit"/> readings after <paramref name="after"/> in the scan's order.</summary>
    Task<IReadOnlyList<ReadingRow>> ScanAsync(ReadingScan scan, ScanCursor? after, int limit, CancellationToken ct);

    Task<ReadingRow?> ReadingAsync(string site, string node, long boot, long seq, CancellationToken ct);
}
