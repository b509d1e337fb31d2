namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Turns a noisy series into a level that does not flap: a new level must hold for
/// <c>minReadings</c> consecutive values and <c>minDuration</c> before it is taken, and a level is left only when the
/// value falls the hysteresis below its threshold (for "lower is worse" series, rises above it).
/// </summary>
public sealed class LevelTracker(double[] thresholds, bool higherIsWorse, double hysteresis, int minReadings, long minDurationSeconds)
{
    private AlertLevel _candidate;
    private int _candidateCount;
    private long _candidateSince;

    /// <summary>thresholds[0..2] for watch, warning, danger (NaN: that level is not used).</summary>
    public IReadOnlyList<double> Thresholds => thresholds;

    public AlertLevel Current { get; private set; }

    /// <summary>Feeds a value; returns true when <see cref="Current"/> changed.</summary>
    public bool Update(double value, long ts)
    {
        AlertLevel desired = Desired(value);
        if (desired == Current)
        {
            _candidate = Current;
            _candidateCount = 0;
            return false;
        }

        if (desired != _candidate)
        {
            _candidate = desired;
            _candidateCount = 0;
            _candidateSince = ts;
        }

        _candidateCount++;
        if (_candidateCount >= minReadings && ts - _candidateSince >= minDurationSeconds)
        {
            Current = desired;
            _candidateCount = 0;
            return true;
        }

        return false;
    }

    /// <summary>Forces a level (restoring state after a restart).</summary>
    public void Restore(AlertLevel level) => Current = _candidate = level;

    public double ThresholdOf(AlertLevel level) => level == AlertLevel.None ? double.NaN : thresholds[(int)level - 1];

    private AlertLevel Desired(double value)
    {
        AlertLevel raw = AlertLevel.None;
        for (int i = 0; i < 3; i++)
        {
            if (!double.IsNaN(thresholds[i]) && Worse(value, thresholds[i]))
            {
                raw = (AlertLevel)(i + 1);
            }
        }

        if (raw >= Current)
        {
            return raw;
        }

        // Going down: stay at each level until the value is clearly (the hysteresis) on the good side of it.
        AlertLevel level = Current;
        while (level > AlertLevel.None)
        {
            double t = thresholds[(int)level - 1];
            double release = higherIsWorse ? t - hysteresis : t + hysteresis;
            if (!double.IsNaN(t) && Worse(value, release))
            {
                break;
            }

            level--;
        }

        return level < raw ? raw : level;
    }

    private bool Worse(double value, double threshold) => higherIsWorse ? value >= threshold : value <= threshold;
}
