using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>The SQLite store's <see cref="IStoreFootprint"/>: the file's size and the budget's drop count.</summary>
public sealed class StoreFootprint(EdgeDatabase db, IStoreSpace space) : IStoreFootprint
{
    public string Path => db.Path;

    public long UsedBytes() => db.UsedBytes();

    public long DroppedTotal() => space.DroppedTotal();
}
