using System;

namespace EdgeSensors.Node.Outbox;

/// <summary>
/// Storage in memory: stands for the node's flash in the emulator, where a simulated reboot builds a new node
/// around the same storage object. It can tear the next write (a brown-out in the middle of a flash write).
/// </summary>
public sealed class RamStorage : IRandomAccessStorage
{
    private byte[] _data = new byte[0];
    private long _length;
    private int _tearNextWriteAfterBytes = -1;

    /// <inheritdoc/>
    public long Length => _length;

    /// <summary>Makes the next write stop after the given number of bytes, as a power loss would.</summary>
    public void TearNextWrite(int bytesWritten) => _tearNextWriteAfterBytes = bytesWritten;

    /// <inheritdoc/>
    public int Read(long offset, byte[] buffer, int count)
    {
        if (offset >= _length)
        {
            return 0;
        }

        int n = (int)(_length - offset < count ? _length - offset : count);
        Array.Copy(_data, (int)offset, buffer, 0, n);
        return n;
    }

    /// <inheritdoc/>
    public void Write(long offset, byte[] buffer, int count)
    {
        if (_tearNextWriteAfterBytes >= 0)
        {
            count = _tearNextWriteAfterBytes < count ? _tearNextWriteAfterBytes : count;
            _tearNextWriteAfterBytes = -1;
        }

        long end = offset + count;
        if (end > _data.Length)
        {
            long size = _data.Length == 0 ? 256 : _data.Length;
            while (size < end)
            {
                size *= 2;
            }

            byte[] grown = new byte[size];
            Array.Copy(_data, grown, (int)_length);
            _data = grown;
        }

        Array.Copy(buffer, 0, _data, (int)offset, count);
        if (end > _length)
        {
            _length = end;
        }
    }

    /// <inheritdoc/>
    public void Flush()
    {
        // Memory is as durable as it gets for a simulated node.
    }
}
