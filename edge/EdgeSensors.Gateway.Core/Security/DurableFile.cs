using System.Runtime.InteropServices;

namespace EdgeSensors.Gateway.Security;

/// <summary>
/// Every file the gateway writes outside its database (certificates, keys, tokens) survives a power cut on the SD card:
/// written to a temporary name created with its final mode, fsynced, renamed over the old one, and then the folder
/// itself fsynced so the rename is on the card too. After a cut the file is either the old one or the new one, never
/// empty or half written (a cut during the first start once left tls/ca.crt at 0 bytes and the gateway unable to start).
/// </summary>
public static partial class DurableFile
{
    private const int ReadOnly = 0;
    private const int Directory = 0x10000; // O_DIRECTORY on Linux

    /// <summary>Writes <paramref name="bytes"/> to <paramref name="path"/> crash-safely with the given Unix mode.</summary>
    public static void Write(string path, ReadOnlySpan<byte> bytes, UnixFileMode mode)
    {
        string full = Path.GetFullPath(path);
        string dir = Path.GetDirectoryName(full)!;
        string tmp = Path.Combine(dir, "." + Path.GetFileName(full) + "." + Environment.ProcessId + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = mode;
        }

        try
        {
            using (var f = new FileStream(tmp, options))
            {
                f.Write(bytes);
                f.Flush(flushToDisk: true);
            }

            File.Move(tmp, full, overwrite: true);
            SyncDirectory(dir);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }

    /// <summary>
    /// fsync(2) of a folder, so a rename in it is durable. .NET has no API for it (a FileStream cannot open a folder),
    /// hence the two libc calls; on Windows, where NTFS journals renames, there is nothing to do.
    /// </summary>
    public static void SyncDirectory(string dir)
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        int fd = Open(dir, ReadOnly | Directory);
        if (fd < 0)
        {
            throw new IOException($"Cannot open {dir} to make a rename durable (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            if (Fsync(fd) != 0)
            {
                throw new IOException($"fsync of {dir} failed (errno {Marshal.GetLastPInvokeError()}): the card may be failing.");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int Fsync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
