using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Store;

/// <summary>
/// The store's size policy, in the core over the store's primitives (<see cref="IStoreSpace"/>; issue 29: it was SQL
/// inside the adapter): forwarded history past <see cref="StoreOptions.RetentionDays"/> goes first; above the
/// high-water mark forwarded history is evicted oldest first; only above the hard cap are readings not yet at the IOC
/// dropped — oldest first, each counted, reported to the IOC as a gap and to the SOC as a policy drop. Never silent.
/// </summary>
public sealed class StoreSizePolicy(IStoreSpace space, IOptions<StoreOptions> options, GatewayMetrics metrics, Security.SecurityEvents events, ILogger<StoreSizePolicy> log)
{
    /// <summary>Readings looked at per step: the policy never scans the whole history at once.</summary>
    public const int Chunk = 2000;

    /// <summary>Raised after readings were dropped (the outbound lane has gap records to send).</summary>
    public event Action? Dropped;

    /// <summary>Runs the policy once; returns readings dropped unforwarded.</summary>
    /// <remarks>The hard cap is published as a gauge the first time.</remarks>
    public async Task<long> EnforceAsync(CancellationToken ct)
    {
        StoreOptions o = options.Value;
        metrics.StoreLimitBytes.Set(o.MaxBytes);
        long highWater = o.MaxBytes * o.HistoryHighWaterPercent / 100;
        long used = space.UsedBytes();
        metrics.StoreBytes.Set(used);

        long cutoff = DateTimeOffset.UtcNow.AddDays(-o.RetentionDays).ToUnixTimeSeconds();
        int expired = 0;
        for (int n = Chunk; n == Chunk && !ct.IsCancellationRequested;)
        {
            n = await space.DeleteForwardedBeforeAsync(cutoff, Chunk, ct).ConfigureAwait(false);
            expired += n;
        }

        if (expired > 0)
        {
            log.LogInformation("Deleted {Count} forwarded readings older than {Days} days", expired, o.RetentionDays);
        }

        while (used > highWater && !ct.IsCancellationRequested)
        {
            int evicted = await space.DeleteOldestForwardedAsync(Chunk, ct).ConfigureAwait(false);
            if (evicted == 0)
            {
                break;
            }

            metrics.HistoryEvicted.Inc(evicted);
            log.LogInformation("Evicted {Count} forwarded readings from history ({Used} of {Max} bytes used)", evicted, used, o.MaxBytes);
            used = space.UsedBytes();
        }

        long dropped = 0;
        while (used > o.MaxBytes && !ct.IsCancellationRequested)
        {
            int n = await space.DropOldestUnforwardedAsync(Chunk, "store_full", ct).ConfigureAwait(false);
            if (n == 0)
            {
                break;
            }

            dropped += n;
            used = space.UsedBytes();
        }

        // The size first, then the drop count: whoever sees the drops counted also sees the size they left.
        metrics.StoreBytes.Set(used);
        if (dropped > 0)
        {
            metrics.Dropped.WithLabels("store_full").Inc(dropped);
            log.LogWarning("Store over its hard cap of {Max} bytes: dropped {Count} unforwarded readings, oldest first; gap records queued for the IOC", o.MaxBytes, dropped);
            // A policy drop is also the SOC's business: data the province will never see (issue 15, scope 6).
            events.Raise("policy_drop", Security.SecurityEvents.Warning, null, null, "store_full",
                $"dropped {dropped} readings not yet at the IOC: the store passed its hard cap of {o.MaxBytes} bytes; gap records queued");
            Dropped?.Invoke();
        }

        return dropped;
    }
}
