using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>System.Environment</c> of nanoFramework.Runtime.Native: the tick counter since this boot.</summary>
public static class BoardEnvironment
{
    public static long TickCount64 => BoardRun.Live.Board.Clock.TickCount64;
}
