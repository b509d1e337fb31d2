namespace EdgeSensors.Node.Device;

/// <summary>
/// An ultrasonic ranger: the width of its output pulse, or false when none came. The adapter only times the pulse the
/// part sends; the part's rule (round-trip echo or 1 µs per mm) is the node logic's, per <see cref="Config.LevelSource"/>.
/// </summary>
public interface IRangeSensor
{
    /// <summary>Pulse width in seconds.</summary>
    bool TryReadPulse(out double pulseSeconds);
}
