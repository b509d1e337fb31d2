using System.Text;

namespace EdgeSensors.Gateway.Security;

/// <summary>
/// Secret files created with their final mode in the one system call that creates them (open(2) with mode 0600), so
/// there is no moment in which another user could read them; written through <see cref="DurableFile"/>, so a crash
/// never leaves half a key.
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
        EnsurePrivateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        DurableFile.Write(path, bytes, OwnerOnly);
    }
}
