namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Turns a noisy series into a level that does not flap: a new, worse level must hold for <c>minReadings</c>
/// consecutive values and <c>minDuration</c> before it is taken; a level is left only when the value is on the good
/// side of its release point (the threshold less the hysteresis, or a level's own release from <c>releases</c>) for
/// as many readings, and — when <c>releaseHolds</c> gives one — for that long ("falling below" rules).
/// </summary>
public sealed class LevelTracker(double[] thresholds, bool higherIsWorse, double hysteresis, int minReadings, long minDurationSeconds, double[]? releases = null, long[]? releaseHolds = null)
{
    private AlertLevel _candidate;
    private int _candidateCount;
    private long _candidateSince;
    private int _downCount;
    private long _downSince;

    /// <summary>thresholds[0..2] for watch, warning, danger (NaN: that level is not used).</summary>
    public IReadOnlyList<double> Thresholds => thresholds;

    public AlertLevel Current { get; private set; }

    /// <summary>
    /// While the level is above where the values now point: since when (the judged time of the first reading on the
    /// good side), or null. With a hold, the level is left at <see cref="GoodSideSince"/> + <see cref="HoldTo"/> at
    /// the earliest, at the first reading from then on.
    /// </summary>
    public long? GoodSideSince => _downCount > 0 ? _downSince : null;

    /// <summary>Feeds a value; returns true when <see cref="Current"/> changed.</summary>
    public bool Update(double value, long ts)
    {
        AlertLevel desired = Desired(value);
        if (desired == Current)
        {
            _candidate = Current;
            _candidateCount = 0;
            _downCount = 0;
            return false;
        }

        if (desired < Current)
        {
            // Going down: counted from the first reading on the good side, whichever lower level each reading
            // points at, so a value wandering between watch and fresh still counts as fresh for reopening.
            _candidateCount = 0;
            _candidate = Current;
            if (_downCount == 0)
            {
                _downSince = ts;
            }

            _downCount++;
            if (_downCount >= minReadings && ts - _downSince >= Math.Max(minDurationSeconds, Hold(desired)))
            {
                Current = desired;
                _downCount = 0;
                return true;
            }

            return false;
        }

        _downCount = 0;
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
    public void Restore(AlertLevel level)
    {
        Current = _candidate = level;
        _downCount = 0;
    }

    public double ThresholdOf(AlertLevel level) => level == AlertLevel.None ? double.NaN : thresholds[(int)level - 1];

    /// <summary>Where a level is left (the value must be strictly on the good side of it).</summary>
    public double ReleaseOf(AlertLevel level)
    {
        int i = (int)level - 1;
        if (releases != null && !double.IsNaN(releases[i]))
        {
            return releases[i];
        }

        return higherIsWorse ? thresholds[i] - hysteresis : thresholds[i] + hysteresis;
    }

    /// <summary>The longest hold among the levels left when going from the current level down to <paramref name="to"/>, s.</summary>
    public long HoldTo(AlertLevel to) => Hold(to);

    private long Hold(AlertLevel to)
    {
        long hold = 0;
        for (AlertLevel l = Current; l > to && releaseHolds != null; l--)
        {
            hold = Math.Max(hold, releaseHolds[(int)l - 1]);
        }

        return hold;
    }

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

        // Going down: stay at each level until the value is clearly on the good side of its release point.
        AlertLevel level = Current;
        while (level > AlertLevel.None)
        {
            if (!double.IsNaN(thresholds[(int)level - 1]) && Worse(value, ReleaseOf(level)))
            {
                break;
            }

            level--;
        }

        return level < raw ? raw : level;
    }

    private bool Worse(double value, double threshold) => higherIsWorse ? value >= threshold : value <= threshold;
}
