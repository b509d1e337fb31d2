// Executable nanoFramework.Runtime.Native 1.7.11 on the simulated board: Power (a class with static members, as in
// Power.cs), RebootOption as in RebootOption.cs (not [Flags]; value 4 reserved), GC.Run (free managed heap).
using System;
using EdgeSensors.Device.Simulator.Board;

namespace nanoFramework.Runtime.Native
{
    public class Power
    {
        public static void RebootDevice(RebootOption rebootOption = RebootOption.NormalReboot)
        {
            BoardRun run = BoardRun.Live;
            run.Board.Stop(run, HaltKind.Reboot, "RebootDevice(" + rebootOption + ")");
        }

        public static void RebootDevice(int exeConstraintTimeout, RebootOption rebootOption = RebootOption.NormalReboot)
        {
            _ = exeConstraintTimeout;
            RebootDevice(rebootOption);
        }
    }

    public static class GC
    {
        /// <summary>Free bytes of the managed heap after a collection: what an ESP32-WROVER-less WROOM build has left to a program of this size.</summary>
        public static uint Run(bool compactHeap)
        {
            BoardRun.Live.Check();
            _ = compactHeap;
            return 61_440;
        }
    }
}
