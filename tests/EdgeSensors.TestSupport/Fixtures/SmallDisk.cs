using System.Diagnostics;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A small file system of its own (a tmpfs mount of a few megabytes) that a test can fill to the last byte and free
/// again: a real ENOSPC for the process writing there, not a simulated one. Needs the right to mount (root, as CI
/// runs); <see cref="TryMount"/> says why when it cannot.
/// </summary>
public sealed class SmallDisk : IDisposable
{
    private readonly TempDir _dir = new();
    private FileStream? _filler;

    private SmallDisk()
    {
    }

    public string Path => _dir.Path;

    public static SmallDisk? TryMount(int megabytes, out string why)
    {
        var disk = new SmallDisk();
        (int code, string output) = Run("mount", "-t", "tmpfs", "-o", $"size={megabytes}m,mode=0755", "tmpfs", disk.Path);
        if (code != 0)
        {
            disk._dir.Dispose();
            why = $"cannot mount a tmpfs here (mount exited {code}: {output.Trim()}); the full-disk test needs root or CAP_SYS_ADMIN, as CI has";
            return null;
        }

        why = string.Empty;
        return disk;
    }

    /// <summary>Writes a filler file until the file system refuses: from now on every write that needs a new block fails with ENOSPC.</summary>
    public long Fill()
    {
        _filler = new FileStream(System.IO.Path.Combine(Path, "filler"), FileMode.Create, FileAccess.Write, FileShare.None, 1, FileOptions.None);
        byte[] block = new byte[4096];
        long written = 0;
        try
        {
            while (true)
            {
                _filler.Write(block);
                written += block.Length;
            }
        }
        catch (IOException)
        {
            // Full.
        }

        return written;
    }

    /// <summary>Frees the space again.</summary>
    public void Free()
    {
        string path = System.IO.Path.Combine(Path, "filler");
        try
        {
            _filler?.Dispose();
        }
        catch (IOException)
        {
            // Its last buffered bytes had no room either.
        }

        _filler = null;
        File.Delete(path);
    }

    public void Dispose()
    {
        Free();
        Run("umount", "-l", Path);
        _dir.Dispose();
    }

    private static (int Code, string Output) Run(string file, params string[] args)
    {
        try
        {
            var psi = new ProcessStartInfo(file, args) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
            using Process p = Process.Start(psi)!;
            string output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            return (p.ExitCode, output);
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return (-1, ex.Message);
        }
    }
}
