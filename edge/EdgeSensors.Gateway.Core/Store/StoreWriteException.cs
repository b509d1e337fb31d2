namespace EdgeSensors.Gateway.Store;

/// <summary>
/// A commit did not happen (disk full, I/O error, database busy or damaged). Whatever storage adapter is used raises
/// this, so the broker can refuse the acknowledgement without knowing which database sits behind the port.
/// </summary>
public sealed class StoreWriteException : IOException
{
    public StoreWriteException()
    {
    }

    public StoreWriteException(string message)
        : base(message)
    {
    }

    public StoreWriteException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
