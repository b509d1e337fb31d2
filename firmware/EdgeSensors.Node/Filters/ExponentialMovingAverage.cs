using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Filters;

/// <summary>Exponential moving average y ← y + α (x − y). A NaN input leaves the state unchanged.</summary>
public sealed class ExponentialMovingAverage
{
    private double _value = double.NaN;

    /// <summary>Creates an EMA with smoothing factor α in (0, 1]; 1 passes values through.</summary>
    public ExponentialMovingAverage(double alpha)
    {
        Alpha = alpha <= 0 || alpha > 1 ? 1.0 : alpha;
    }

    /// <summary>Smoothing factor.</summary>
    public double Alpha { get; }

    /// <summary>Current smoothed value (NaN before the first update).</summary>
    public double Value => _value;

    /// <summary>Feeds one value and returns the new smoothed value.</summary>
    public double Update(double x)
    {
        if (!FloatMath.IsFinite(x))
        {
            return _value;
        }

        _value = double.IsNaN(_value) ? x : _value + (Alpha * (x - _value));
        return _value;
    }

    /// <summary>Forgets the state (after a sensor fault, so old values do not leak into new ones).</summary>
    public void Reset() => _value = double.NaN;
}
