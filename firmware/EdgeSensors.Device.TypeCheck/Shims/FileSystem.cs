// Compile-only shim of nanoFramework.System.IO.FileSystem 1.1.87 (package nanoFramework.System.IO.FileSystem): FileStream
// derives from Stream (System.IO.Streams, see Streams.cs), File as in the library's File.cs. No behaviour; never deployed.
// Transcribes: nanoFramework.System.IO.FileSystem 1.1.87
using System;

namespace System.IO
{
    public enum FileMode
    {
        CreateNew = 1,
        Create = 2,
        Open = 3,
        OpenOrCreate = 4,
        Truncate = 5,
        Append = 6,
    }

    [Flags]
    public enum FileAccess
    {
        Read = 1,
        Write = 2,
        ReadWrite = 3,
    }

    public class FileStream : Stream
    {
        public FileStream(string path, FileMode mode, FileAccess access) => throw new NotSupportedException();

        public override long Length => throw new NotSupportedException();

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        public override void Flush() => throw new NotSupportedException();
    }

    public static class File
    {
        public static bool Exists(string path) => throw new NotSupportedException();

        public static void Delete(string path) => throw new NotSupportedException();

        public static void Move(string sourceFileName, string destFileName) => throw new NotSupportedException();
    }
}
