using EdgeSensors.Gateway.Store;
namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>Log event ids of the store (1000–1099).</summary>
internal static class StoreEvents
{
    public static readonly EventId Opened = new(1000, nameof(Opened));
    public static readonly EventId CommitFailed = new(1001, nameof(CommitFailed));
    public static readonly EventId HistoryEvicted = new(1002, nameof(HistoryEvicted));
    public static readonly EventId UnforwardedDropped = new(1003, nameof(UnforwardedDropped));
    public static readonly EventId RetentionDeleted = new(1004, nameof(RetentionDeleted));
    public static readonly EventId ShutdownTimeout = new(1005, nameof(ShutdownTimeout));
    public static readonly EventId DiskFullCleared = new(1006, nameof(DiskFullCleared));
}
