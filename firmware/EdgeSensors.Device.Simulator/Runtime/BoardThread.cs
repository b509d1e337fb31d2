using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>Thread.Sleep</c> in board time; a sleep ends with the program when the chip stops.</summary>
public static class BoardThread
{
    public static void Sleep(int millisecondsTimeout) => BoardRun.Live.Sleep(millisecondsTimeout);
}
