using System;
using System.Threading;
using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary><c>CancellationTokenSource(int)</c> (nanoFramework.System.Threading) with its delay in board time.</summary>
public sealed class BoardCancellationTokenSource : IDisposable
{
    private readonly CancellationTokenSource _inner;

    public BoardCancellationTokenSource(int millisecondsDelay)
    {
        _inner = new CancellationTokenSource(BoardRun.Live.Board.Clock.HostMs(millisecondsDelay));
    }

    public CancellationToken Token => _inner.Token;

    public void Cancel() => _inner.Cancel();

    public void Dispose() => _inner.Dispose();
}
