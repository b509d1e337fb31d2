// Compile-only shim of nanoFramework.System.Threading 1.1.52 (package nanoFramework.System.Threading): cancellation types,
// which nanoFramework keeps out of mscorlib. No behaviour; never deployed.
// Transcribes: nanoFramework.System.Threading 1.1.52
using System;

namespace System.Threading
{
    public struct CancellationToken
    {
        public bool IsCancellationRequested => throw new NotSupportedException();
    }

    public class CancellationTokenSource : IDisposable
    {
        public CancellationTokenSource(int millisecondsDelay) => throw new NotSupportedException();

        public CancellationToken Token => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
