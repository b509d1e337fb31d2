using System;
using System.IO;
using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>System.IO.FileStream</c> of nanoFramework.System.IO.FileSystem, on the board's flash (writes reach flash as made).</summary>
public sealed class BoardFileStream : Stream
{
    private readonly BoardRun _run;
    private readonly string _name;
    private readonly FileAccess _access;
    private long _position;
    private bool _closed;

    public BoardFileStream(string path, FileMode mode, FileAccess access)
    {
        _run = BoardRun.Live;
        _name = BoardFlash.NameOf(path);
        _access = access;
        BoardFlash flash = _run.Board.Flash;
        bool exists = flash.Exists(_name);
        switch (mode)
        {
            case FileMode.CreateNew when exists:
                throw new IOException("File already exists: " + path);
            case FileMode.Open or FileMode.Truncate when !exists:
                throw new IOException("File not found: " + path);
            case FileMode.Create or FileMode.CreateNew or FileMode.Truncate:
                flash.Create(_name, truncate: true);
                break;
            case FileMode.OpenOrCreate:
                flash.Create(_name, truncate: false);
                break;
            case FileMode.Append:
                flash.Create(_name, truncate: false);
                _position = flash.Length(_name);
                break;
        }
    }

    public override bool CanRead => (_access & FileAccess.Read) != 0;

    public override bool CanSeek => true;

    public override bool CanWrite => (_access & FileAccess.Write) != 0;

    public override long Length
    {
        get
        {
            Live();
            return _run.Board.Flash.Length(_name);
        }
    }

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override void Flush() => Live();

    public override int Read(byte[] buffer, int offset, int count)
    {
        Live();
        if (!CanRead)
        {
            throw new NotSupportedException("the file was opened without read access");
        }

        int n = _run.Board.Flash.Read(_name, _position, buffer, offset, count);
        _position += n;
        return n;
    }

    public override long Seek(long offset, SeekOrigin origin)
    {
        Live();
        long p = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            _ => _run.Board.Flash.Length(_name) + offset,
        };
        if (p < 0)
        {
            throw new IOException("seek before the start of the file");
        }

        _position = p;
        return p;
    }

    public override void SetLength(long value) => throw new NotSupportedException("nanoFramework's FileStream does not set a length");

    public override void Write(byte[] buffer, int offset, int count)
    {
        Live();
        if (!CanWrite)
        {
            throw new NotSupportedException("the file was opened without write access");
        }

        bool complete = _run.Board.Flash.Write(_name, _position, buffer, offset, count);
        if (!complete)
        {
            // The power went in the middle of this write.
            throw new ProgramHaltedException();
        }

        _position += count;
    }

    protected override void Dispose(bool disposing)
    {
        _closed = true;
        base.Dispose(disposing);
    }

    private void Live()
    {
        _run.Check();
        if (_closed)
        {
            throw new ObjectDisposedException(nameof(FileStream));
        }
    }
}
