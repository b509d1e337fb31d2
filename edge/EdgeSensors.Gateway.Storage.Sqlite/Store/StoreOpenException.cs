using EdgeSensors.Gateway.Store;
namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>The database could not be opened safely. The gateway stops rather than run without durable storage.</summary>
public sealed class StoreOpenException : Exception
{
    public StoreOpenException(string message, Exception? inner = null)
        : base(message, inner)
    {
    }
}
