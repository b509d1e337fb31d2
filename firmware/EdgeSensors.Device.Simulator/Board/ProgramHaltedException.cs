using System;

namespace EdgeSensors.Device.Simulator.Board;

/// <summary>
/// Thrown into a program run whose chip has stopped (deep sleep, reboot, power cut): on the chip that code would
/// never run again. Every board API throws it to a stale run, so a stopped program cannot change the board.
/// </summary>
public sealed class ProgramHaltedException : Exception
{
    public ProgramHaltedException()
        : base("the simulated chip has stopped; this program run is over")
    {
    }

    public ProgramHaltedException(string message)
        : base(message)
    {
    }

    public ProgramHaltedException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
