// Compile-only shim of nanoFramework.System.IO.Streams 1.1.96 (package nanoFramework.System.IO.Streams): the abstract Stream
// (a MarshalByRefObject, as in mscorlib's lineage) that FileStream derives from, and SeekOrigin, which lives in this library (the library's Stream.cs and SeekOrigin.cs).
// No behaviour; never deployed.
// Transcribes: nanoFramework.System.IO.Streams 1.1.96
using System;

namespace System.IO
{
    public enum SeekOrigin
    {
        Begin = 0,
        Current = 1,
        End = 2,
    }

    public abstract class Stream : MarshalByRefObject, IDisposable
    {
        public abstract long Length { get; }

        public abstract long Seek(long offset, SeekOrigin origin);

        public abstract int Read(byte[] buffer, int offset, int count);

        public abstract void Write(byte[] buffer, int offset, int count);

        public abstract void Flush();

        public void Dispose() => throw new NotSupportedException();
    }
}
