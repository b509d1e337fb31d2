namespace EdgeSensors.Gateway.Store;

/// <summary>
/// What the store offers the size policy (<see cref="StoreSizePolicy"/>): its size, and three ways to free space, each
/// a chunk at a time, each atomic. Only the storage adapter knows how; only the policy decides which and when.
/// </summary>
public interface IStoreSpace
{
    long UsedBytes();

    /// <summary>Deletes up to <paramref name="max"/> readings already at the IOC and received before <paramref name="cutoffRx"/>, oldest first.</summary>
    Task<int> DeleteForwardedBeforeAsync(long cutoffRx, int max, CancellationToken ct);

    /// <summary>Deletes up to <paramref name="max"/> of the oldest readings already at the IOC.</summary>
    Task<int> DeleteOldestForwardedAsync(int max, CancellationToken ct);

    /// <summary>
    /// Drops up to <paramref name="max"/> of the oldest readings not yet at the IOC (never one the uplink has taken to
    /// send), queues a gap record for each run of seqs with <paramref name="reason"/>, and counts them, in one
    /// transaction. Returns how many were dropped.
    /// </summary>
    Task<int> DropOldestUnforwardedAsync(int max, string reason, CancellationToken ct);

    /// <summary>Readings ever dropped by the policy (kept across restarts).</summary>
    long DroppedTotal();
}
