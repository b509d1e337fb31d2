// Compile-only shim of nanoFramework.Runtime.Native 1.7.11 (package nanoFramework.Runtime.Native). No behaviour; never deployed.
// Transcribes: nanoFramework.Runtime.Native 1.7.11
using System;

namespace nanoFramework.Runtime.Native
{
    public static class Power
    {
        public static void RebootDevice() => throw new NotSupportedException();
    }

    public static class GC
    {
        public static uint Run(bool compactHeap) => throw new NotSupportedException();
    }
}
