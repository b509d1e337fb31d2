using System;
using System.IO;
using EdgeSensors.Node.Outbox;

namespace EdgeSensors.Node.Desktop;

/// <summary>
/// Outbox storage in a file (desktop only: tests, emulator runs that persist, the CLI). Flush goes to the disk
/// (fsync), as flash commit does on the device.
/// </summary>
public sealed class FileStorage : IRandomAccessStorage, IDisposable
{
    private readonly FileStream _file;

    /// <summary>Opens or creates the file.</summary>
    public FileStorage(string path)
    {
        _file = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read, 4096, FileOptions.RandomAccess);
    }

    /// <inheritdoc/>
    public long Length => _file.Length;

    /// <inheritdoc/>
    public int Read(long offset, byte[] buffer, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _file.Position = offset;
        int total = 0;
        while (total < count)
        {
            int n = _file.Read(buffer, total, count - total);
            if (n == 0)
            {
                break;
            }

            total += n;
        }

        return total;
    }

    /// <inheritdoc/>
    public void Write(long offset, byte[] buffer, int count)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        _file.Position = offset;
        _file.Write(buffer, 0, count);
    }

    /// <inheritdoc/>
    public void Flush() => _file.Flush(flushToDisk: true);

    /// <inheritdoc/>
    public void Dispose() => _file.Dispose();
}
