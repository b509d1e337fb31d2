namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Least-squares slope of (time, value) over a sliding time window, per hour, kept with running sums so a reading
/// costs O(1) instead of a pass over the window. Times are taken from an origin inside the window, moved forward
/// (and the sums rebuilt) once the origin is two windows old, so the sums never cancel catastrophically.
/// </summary>
public sealed class RunningSlope(long windowSeconds)
{
    private readonly Queue<(long Ts, double V)> _points = new();
    private long _origin = long.MinValue;
    private double _sx;
    private double _sy;
    private double _sxx;
    private double _sxy;

    public int Count => _points.Count;

    /// <summary>Seconds between the oldest and the newest point held.</summary>
    public long Span { get; private set; }

    public void Add(long ts, double v)
    {
        while (_points.Count > 0 && _points.Peek().Ts < ts - windowSeconds)
        {
            (long t, double y) = _points.Dequeue();
            Accumulate(t, y, -1);
        }

        if (_origin == long.MinValue || ts - _origin > 2 * windowSeconds || ts < _origin)
        {
            Rebase(ts);
        }

        _points.Enqueue((ts, v));
        Accumulate(ts, v, +1);
        long first = _points.Peek().Ts;
        Span = ts - first;
    }

    /// <summary>Slope in value per hour (0 with fewer than two distinct times).</summary>
    public double PerHour()
    {
        int n = _points.Count;
        if (n < 2)
        {
            return 0;
        }

        double den = (n * _sxx) - (_sx * _sx);
        // Rounded to 1e-9 ‰/h: far below any threshold, and a slope of exactly twice the limit stays exactly that.
        return den <= 1e-12 ? 0 : Math.Round(((n * _sxy) - (_sx * _sy)) / den, 9);
    }

    private void Accumulate(long ts, double v, int sign)
    {
        double x = (ts - _origin) / 3600.0;
        _sx += sign * x;
        _sy += sign * v;
        _sxx += sign * x * x;
        _sxy += sign * x * v;
    }

    private void Rebase(long ts)
    {
        _origin = _points.Count > 0 ? Math.Min(_points.Peek().Ts, ts) : ts;
        _sx = _sy = _sxx = _sxy = 0;
        foreach ((long t, double y) in _points)
        {
            Accumulate(t, y, +1);
        }
    }
}
