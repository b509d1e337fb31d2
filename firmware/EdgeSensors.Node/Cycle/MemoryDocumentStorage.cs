using System.Collections;

namespace EdgeSensors.Node.Cycle;

/// <summary>Documents in memory: the emulator's stand-in for the node's flash (it outlives a simulated reboot).</summary>
public sealed class MemoryDocumentStorage : IDocumentStorage
{
    private readonly ArrayList _names = new ArrayList();
    private readonly ArrayList _data = new ArrayList();

    /// <inheritdoc/>
    public byte[]? Read(string name)
    {
        int i = _names.IndexOf(name);
        return i < 0 ? null : (byte[])_data[i]!;
    }

    /// <inheritdoc/>
    public void Write(string name, byte[] data)
    {
        int i = _names.IndexOf(name);
        byte[] copy = (byte[])data.Clone();
        if (i < 0)
        {
            _names.Add(name);
            _data.Add(copy);
        }
        else
        {
            _data[i] = copy;
        }
    }
}
