using System;
using System.Collections.Generic;
using System.Threading;

namespace EdgeSensors.Device.Simulator.Board;

/// <summary>
/// One run of the device program, from a boot to the halt that ends it. The board's APIs find the run they serve
/// through an ambient value that flows into the program's threads and timers; once the run is halted every API
/// throws <see cref="ProgramHaltedException"/> to it. State the chip keeps in RAM or in its radio (Wi-Fi joined,
/// SNTP started, the wake-up timer armed) lives here and dies with the run.
/// </summary>
public sealed class BoardRun
{
    private static readonly AsyncLocal<BoardRun?> Ambient = new();
    private readonly CancellationTokenSource _halted = new();
    private readonly List<IDisposable> _resources = [];
    private readonly object _gate = new();

    internal BoardRun(SimulatedBoard board, int number)
    {
        Board = board;
        Number = number;
    }

    /// <summary>The board this run runs on.</summary>
    public SimulatedBoard Board { get; }

    /// <summary>1 for the first run after the board was built, then counting every boot.</summary>
    public int Number { get; }

    /// <summary>Why the run ended (None while it runs).</summary>
    public HaltKind Halt { get; private set; }

    internal CancellationToken HaltedToken => _halted.Token;

    internal bool WifiJoined { get; set; }

    internal bool SntpStarted { get; set; }

    internal string SntpServer1 { get; set; } = "pool.ntp.org";

    internal string SntpServer2 { get; set; } = "time.cloudflare.com";

    internal long WakeupTimerMs { get; set; } = -1;

    /// <summary>The radio's last scan report (a WifiAdapter), gone with the run.</summary>
    internal object? LastScan { get; set; }

    /// <summary>The pin mux (Configuration.SetPinFunction), reset at every boot: pin → DeviceFunction value.</summary>
    internal Dictionary<int, int> PinFunctions { get; } = [];

    /// <summary>The network went away under the run (the access point out of range): its sockets die.</summary>
    internal event Action? LinkLost;

    /// <summary>The run serving the calling code.</summary>
    internal static BoardRun Current => Ambient.Value
        ?? throw new InvalidOperationException("nanoFramework APIs of the simulated board work only inside a device program started by SimulatedBoard.");

    /// <summary>The run serving the calling code, checked to be still running.</summary>
    internal static BoardRun Live
    {
        get
        {
            BoardRun run = Current;
            run.Check();
            return run;
        }
    }

    internal static void Enter(BoardRun run) => Ambient.Value = run;

    internal void LoseLink()
    {
        WifiJoined = false;
        LinkLost?.Invoke();
    }

    internal void Check()
    {
        if (_halted.IsCancellationRequested)
        {
            throw new ProgramHaltedException();
        }
    }

    /// <summary>Waits board time; ends at once with <see cref="ProgramHaltedException"/> when the chip stops meanwhile.</summary>
    internal void Sleep(long boardMs)
    {
        Check();
        if (boardMs > 0 && _halted.Token.WaitHandle.WaitOne(Board.Clock.HostMs(boardMs)))
        {
            throw new ProgramHaltedException();
        }
    }

    internal void Track(IDisposable resource)
    {
        lock (_gate)
        {
            if (Halt != HaltKind.None)
            {
                resource.Dispose();
                throw new ProgramHaltedException();
            }

            _resources.Add(resource);
        }
    }

    internal void Untrack(IDisposable resource)
    {
        lock (_gate)
        {
            _resources.Remove(resource);
        }
    }

    /// <summary>Stops the run: the first caller decides why. Timers and sockets of the run are dropped, without goodbyes.</summary>
    internal bool TryHalt(HaltKind kind)
    {
        IDisposable[] drop;
        lock (_gate)
        {
            if (Halt != HaltKind.None)
            {
                return false;
            }

            Halt = kind;
            drop = [.. _resources];
            _resources.Clear();
        }

        _halted.Cancel();
        foreach (IDisposable r in drop)
        {
            try
            {
                r.Dispose();
            }
            catch (Exception)
            {
                // The chip is off; whatever the socket says no longer matters.
            }
        }

        return true;
    }
}
