using System;
using System.Collections.Generic;
using System.IO;

namespace EdgeSensors.Device.Simulator.Board;

/// <summary>
/// The ESP32's internal flash file system as nanoFramework mounts it (drive <c>I:\</c>): files survive deep sleep,
/// resets and power cuts. Writes reach flash as they are made, byte by byte, so a power cut in the middle of a
/// write leaves the bytes written so far and nothing after them (SPIFFS, which ESP32 nanoFramework builds mount,
/// has no journal for file data). A test arms <see cref="CutPowerAfter"/> to cut the power inside a write.
/// </summary>
public sealed class BoardFlash
{
    public const string Drive = "I:\\";

    private readonly Dictionary<string, List<byte>> _files = new(StringComparer.Ordinal);
    private readonly object _gate = new();
    private string? _trapFile;
    private long _trapBytes;

    /// <summary>Raised (on the writing thread) when an armed trap cuts the power inside a write.</summary>
    internal event Action<string>? TrapSprung;

    /// <summary>Names of the files on the drive.</summary>
    public IReadOnlyList<string> Files
    {
        get
        {
            lock (_gate)
            {
                return [.. _files.Keys];
            }
        }
    }

    /// <summary>Puts a file on the drive, as <c>nanoff --filedeployment</c> does.</summary>
    public void Deploy(string name, byte[] content)
    {
        lock (_gate)
        {
            _files[name] = [.. content];
        }
    }

    /// <summary>A copy of a file, or null.</summary>
    public byte[]? ReadAll(string name)
    {
        lock (_gate)
        {
            return _files.TryGetValue(name, out List<byte>? f) ? [.. f] : null;
        }
    }

    /// <summary>The power goes when <paramref name="bytes"/> more bytes have been written to <paramref name="name"/>: the write in progress stops there.</summary>
    public void CutPowerAfter(string name, long bytes)
    {
        lock (_gate)
        {
            _trapFile = name;
            _trapBytes = bytes;
        }
    }

    internal static string NameOf(string path)
    {
        if (path.StartsWith(Drive, StringComparison.OrdinalIgnoreCase))
        {
            string name = path[Drive.Length..];
            if (name.Length > 0 && name.IndexOfAny(['\\', '/']) < 0)
            {
                return name;
            }
        }

        // What nanoFramework's FileSystem throws for a drive or folder that is not there.
        throw new IOException("Path not found: " + path);
    }

    internal bool Exists(string name)
    {
        lock (_gate)
        {
            return _files.ContainsKey(name);
        }
    }

    internal void Create(string name, bool truncate)
    {
        lock (_gate)
        {
            if (truncate || !_files.ContainsKey(name))
            {
                _files[name] = [];
            }
        }
    }

    internal void Delete(string name)
    {
        lock (_gate)
        {
            _files.Remove(name);
        }
    }

    internal void Move(string from, string to)
    {
        lock (_gate)
        {
            if (!_files.Remove(from, out List<byte>? f))
            {
                throw new IOException("File not found: " + Drive + from);
            }

            if (_files.ContainsKey(to))
            {
                _files[from] = f;
                throw new IOException("File already exists: " + Drive + to);
            }

            _files[to] = f;
        }
    }

    internal long Length(string name)
    {
        lock (_gate)
        {
            return _files.TryGetValue(name, out List<byte>? f) ? f.Count : throw new IOException("File not found: " + Drive + name);
        }
    }

    internal int Read(string name, long position, byte[] buffer, int offset, int count)
    {
        lock (_gate)
        {
            List<byte> f = _files.TryGetValue(name, out List<byte>? x) ? x : throw new IOException("File not found: " + Drive + name);
            int n = (int)Math.Max(0, Math.Min(count, f.Count - position));
            if (n > 0)
            {
                f.CopyTo((int)position, buffer, offset, n);
            }

            return n;
        }
    }

    /// <summary>Writes; returns false when an armed trap cut the power inside this write (the bytes before it are written).</summary>
    internal bool Write(string name, long position, byte[] buffer, int offset, int count)
    {
        bool sprung = false;
        lock (_gate)
        {
            List<byte> f = _files.TryGetValue(name, out List<byte>? x) ? x : throw new IOException("File not found: " + Drive + name);
            int allowed = count;
            if (_trapFile == name)
            {
                if (_trapBytes < count)
                {
                    allowed = (int)_trapBytes;
                    sprung = true;
                    _trapFile = null;
                }
                else
                {
                    _trapBytes -= count;
                }
            }

            while (f.Count < position)
            {
                f.Add(0xFF); // erased flash
            }

            for (int i = 0; i < allowed; i++)
            {
                long p = position + i;
                if (p < f.Count)
                {
                    f[(int)p] = buffer[offset + i];
                }
                else
                {
                    f.Add(buffer[offset + i]);
                }
            }
        }

        if (sprung)
        {
            TrapSprung?.Invoke(name);
        }

        return !sprung;
    }
}
