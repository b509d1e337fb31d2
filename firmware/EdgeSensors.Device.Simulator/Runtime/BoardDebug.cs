using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>Debug.WriteLine</c>: the serial console a technician would read, kept in the board's record.</summary>
public static class BoardDebug
{
    public static void WriteLine(string message)
    {
        BoardRun run = BoardRun.Current;
        if (run.Halt == HaltKind.None)
        {
            // A stopped chip prints nothing.
            run.Board.Record("console", message, run);
        }
    }
}
