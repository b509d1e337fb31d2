// Compile-only shim of nanoFramework.Runtime.Native 1.7.11 (package nanoFramework.Runtime.Native): Power is a class (not
// static) whose RebootDevice takes a RebootOption, with an overload taking an execution-constraint timeout (the
// library's Power.cs), and System.Environment.TickCount64, which this package declares (System/Environment.cs: milliseconds
// since the system started). No behaviour; never deployed.
// Transcribes: nanoFramework.Runtime.Native 1.7.11
using System;

namespace nanoFramework.Runtime.Native
{
    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot) => throw new NotSupportedException();

        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot) => throw new NotSupportedException();
    }

    public static class GC
    {
        public static uint Run(bool compactHeap) => throw new NotSupportedException();
    }
}

namespace System
{
    public static class Environment
    {
        public static long TickCount64 => throw new NotSupportedException();
    }
}
