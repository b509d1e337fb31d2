using System;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// A MaxBotix HRXL-MaxSonar-WR 5 m ranger (MB7389) in triggered operation, as its datasheet describes it: a range
/// cycle starts only when pin 4 is held high for more than 20 µs; about 135 ms later pin 2 sends a pulse of 1 µs per
/// millimetre of one-way distance, temperature-compensated inside the sensor, never shorter than 300 µs (a target at
/// or inside 300 mm) nor longer than 5,000 µs (the 5 m model's maximum, also sent when no target is found); triggered
/// readings are about ±5 mm less accurate than filtered free-run ones. It needs its supply (the switched 5 V rail).
/// </summary>
public sealed class MaxSonarRanger
{
    /// <summary>Shortest trigger the sensor acts on, µs ("greater than 20 µs").</summary>
    public const double MinimumTriggerMicroseconds = 20;

    /// <summary>Time from the trigger to the start of the pulse for the MB7389, ms (datasheet column A).</summary>
    public const double PulseDelayMs = 135;

    private readonly Random _noise;

    public MaxSonarRanger(int seed = 7389)
    {
        _noise = new Random(seed);
    }

    /// <summary>Distance from the sensor face to the water, m; NaN for no target (dry channel, beam blocked).</summary>
    public double DistanceM { get; set; } = 2.0;

    /// <summary>Spread of a triggered reading, mm (uniform ±).</summary>
    public double TriggeredNoiseMm { get; set; } = 5;

    /// <summary>
    /// One trigger of <paramref name="highMicroseconds"/> (the longest continuous high level on pin 4): the width of
    /// the pulse on pin 2 in µs, or null when the sensor does not start a range cycle.
    /// </summary>
    public double? Trigger(double highMicroseconds, bool powered)
    {
        if (!powered || highMicroseconds <= MinimumTriggerMicroseconds)
        {
            return null;
        }

        if (double.IsNaN(DistanceM) || DistanceM * 1000 >= 5000)
        {
            return 5000;
        }

        double mm = Math.Round((DistanceM * 1000) + ((_noise.NextDouble() * 2) - 1) * TriggeredNoiseMm);
        return Math.Clamp(mm, 300, 5000);
    }
}
