using System.Text;

namespace EdgeSensors.Gateway.Security;

/// <summary>
/// Secret files created with their final mode in the one system call that creates them (open(2) with mode 0600), so
/// there is no moment in which another user could read them; written to a temporary name and renamed into place,
/// so a crash never leaves half a key.
/// </summary>
public static class SecretFile
{
    private const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Creates the folder (mode 0700 when new) that holds secrets.</summary>
    public static void EnsurePrivateDirectory(string dir)
    {
        if (Directory.Exists(dir))
        {
            return;
        }

        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(dir);
        }
        else
        {
            Directory.CreateDirectory(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }

    public static void Write(string path, string text) => Write(path, Encoding.UTF8.GetBytes(text));

    public static void Write(string path, ReadOnlySpan<byte> bytes)
    {
        string dir = Path.GetDirectoryName(Path.GetFullPath(path))!;
        EnsurePrivateDirectory(dir);
        string tmp = Path.Combine(dir, "." + Path.GetFileName(path) + "." + Environment.ProcessId + ".tmp");
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = OwnerOnly;
        }

        try
        {
            using (var f = new FileStream(tmp, options))
            {
                f.Write(bytes);
                f.Flush(flushToDisk: true);
            }

            File.Move(tmp, path, overwrite: true);
        }
        finally
        {
            if (File.Exists(tmp))
            {
                File.Delete(tmp);
            }
        }
    }
}
