using System;
using System.Threading;
using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>System.Threading.Timer</c> in board time. It stops with the program run that made it.</summary>
public sealed class BoardTimer : IDisposable
{
    private readonly BoardRun _run;
    private readonly Timer _timer;

    public BoardTimer(TimerCallback callback, object? state, int dueTime, int period)
    {
        _run = BoardRun.Live;
        BoardRun run = _run;
        _timer = new Timer(
            s =>
            {
                BoardRun.Enter(run);
                try
                {
                    run.Check();
                    callback(s);
                }
                catch (ProgramHaltedException)
                {
                    // The chip stopped while the timer was due.
                }
            },
            state,
            dueTime < 0 ? Timeout.Infinite : run.Board.Clock.HostMs(dueTime),
            period <= 0 ? Timeout.Infinite : run.Board.Clock.HostMs(period));
        _run.Track(this);
    }

    public void Dispose()
    {
        _timer.Dispose();
        _run.Untrack(this);
    }
}
