namespace EdgeSensors.Gateway.Store;

/// <summary>The store's size and what its size policy has dropped, for the health report (the host sees no storage type).</summary>
public interface IStoreFootprint
{
    /// <summary>Where the store is.</summary>
    string Path { get; }

    long UsedBytes();

    /// <summary>Readings dropped by the size policy since the store was made.</summary>
    long DroppedTotal();
}
