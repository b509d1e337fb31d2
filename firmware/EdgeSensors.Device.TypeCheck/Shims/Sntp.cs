// Compile-only shim of nanoFramework.Networking.Sntp 1.6.42 (package nanoFramework.Networking.Sntp): the Sntp class
// (not static; static members) of the library's Sntp.cs (start, immediate update, the two server names). No behaviour; never deployed.
// Transcribes: nanoFramework.Networking.Sntp 1.6.42
using System;

namespace nanoFramework.Networking
{
    public class Sntp
    {
        public static bool IsStarted => throw new NotSupportedException();

        public static string Server1
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public static string Server2
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public static void Start() => throw new NotSupportedException();

        public static void Stop() => throw new NotSupportedException();

        public static void UpdateNow() => throw new NotSupportedException();
    }
}
