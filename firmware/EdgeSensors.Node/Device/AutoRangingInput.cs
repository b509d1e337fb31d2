namespace EdgeSensors.Node.Device;

/// <summary>
/// One ADS1115 input with automatic gain: before each burst, a conversion at the widest allowed range finds the
/// signal, and the burst is taken at the narrowest range that holds it. Fresh canal water (0.1 ‰ ≈ 30 mV from the EC
/// board) is then read at ±0.256 V with 7.8 µV steps, brackish water at ±4.096 V with 125 µV steps — where the
/// ESP32's own ADC reads nothing below about 150 mV at all.
/// </summary>
public sealed class AutoRangingInput : IAnalogInput
{
    private readonly IGainAdc _adc;
    private readonly int _input;
    private readonly int _widest;
    private readonly double _supplyVolts;
    private int _range;

    /// <summary>
    /// Input <paramref name="input"/> of <paramref name="adc"/>; <paramref name="widestRange"/> is the widest range index
    /// that the converter's supply allows (inputs must stay below VDD + 0.3 V: index 1, ±4.096 V, at 3.3 V or 5 V).
    /// </summary>
    public AutoRangingInput(IGainAdc adc, int input, int widestRange)
        : this(adc, input, widestRange, double.MaxValue)
    {
    }

    /// <summary>
    /// As above, for a converter on <paramref name="supplyVolts"/>: an input cannot be coded above the supply, so the
    /// highest reachable count of a range wider than the supply is the supply's code (see <see cref="HighestCode"/>).
    /// </summary>
    public AutoRangingInput(IGainAdc adc, int input, int widestRange, double supplyVolts)
    {
        _adc = adc;
        _input = input;
        _widest = widestRange;
        _range = widestRange;
        _supplyVolts = supplyVolts;
    }

    /// <summary>Range index of the current burst.</summary>
    public int Range => _range;

    /// <inheritdoc/>
    public int FullScale => Ads1115Range.MaxCode;

    /// <inheritdoc/>
    public double FullScaleVolts => Ads1115Range.FullScaleVolts[_range];

    /// <inheritdoc/>
    public int HighestCode => Ads1115Range.HighestCode(_range, _supplyVolts);

    /// <inheritdoc/>
    public void SelectRange()
    {
        _range = _widest;
        if (_adc.TryConvert(_input, _widest, out int probe))
        {
            _range = Ads1115Range.Fit(probe * Ads1115Range.LsbVolts(_widest), _widest);
        }
    }

    /// <inheritdoc/>
    public int Read()
    {
        if (!_adc.TryConvert(_input, _range, out int code))
        {
            return -1;
        }

        // Single-ended: a code below zero is offset noise around 0 V.
        return code < 0 ? 0 : code;
    }
}
