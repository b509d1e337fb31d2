using System.IO;
using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Node.Desktop;

/// <summary>Named documents as files in a folder, replaced atomically (write a temp file, then rename over).</summary>
public sealed class DirectoryDocumentStorage : IDocumentStorage
{
    private readonly string _directory;

    /// <summary>Uses (and creates) the folder.</summary>
    public DirectoryDocumentStorage(string directory)
    {
        _directory = directory;
        Directory.CreateDirectory(directory);
    }

    /// <inheritdoc/>
    public byte[]? Read(string name)
    {
        string path = Path.Combine(_directory, name);
        return File.Exists(path) ? File.ReadAllBytes(path) : null;
    }

    /// <inheritdoc/>
    public void Write(string name, byte[] data)
    {
        string path = Path.Combine(_directory, name);
        string temp = path + ".tmp";
        using (var f = new FileStream(temp, FileMode.Create, FileAccess.Write))
        {
            f.Write(data, 0, data.Length);
            f.Flush(flushToDisk: true);
        }

        File.Move(temp, path, overwrite: true);
    }
}
