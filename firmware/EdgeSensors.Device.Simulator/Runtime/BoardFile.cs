using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>System.IO.File</c> of nanoFramework.System.IO.FileSystem, on the board's flash.</summary>
public static class BoardFile
{
    public static bool Exists(string path) => BoardRun.Live.Board.Flash.Exists(BoardFlash.NameOf(path));

    public static void Delete(string path) => BoardRun.Live.Board.Flash.Delete(BoardFlash.NameOf(path));

    public static void Move(string sourceFileName, string destFileName)
    {
        BoardRun run = BoardRun.Live;
        run.Board.Flash.Move(BoardFlash.NameOf(sourceFileName), BoardFlash.NameOf(destFileName));
    }
}
