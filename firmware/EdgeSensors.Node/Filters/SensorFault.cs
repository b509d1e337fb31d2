namespace EdgeSensors.Node.Filters;

/// <summary>Why a field was dropped from a reading. Reported in status; the reading carries no made-up value.</summary>
public enum SensorFault
{
    /// <summary>The field is fine.</summary>
    None = 0,

    /// <summary>The conductivity probe reads as if in air or disconnected.</summary>
    OpenProbe = 1,

    /// <summary>Every ADC sample sits at zero: shorted input or dead sensor.</summary>
    AdcRailLow = 2,

    /// <summary>Every ADC sample sits at full scale: open input pulled up, or over-range.</summary>
    AdcRailHigh = 3,

    /// <summary>The value moved further between two samples than the physics allows.</summary>
    ImplausibleJump = 4,

    /// <summary>The sensor did not answer (I2C or 1-Wire error, ultrasonic timeout).</summary>
    NoResponse = 5,

    /// <summary>The value lies outside the sensor's plausible range.</summary>
    OutOfRange = 6,

    /// <summary>Too many samples of a burst disagreed for a robust value.</summary>
    Noisy = 7,

    /// <summary>A value this field is derived from is missing.</summary>
    MissingInput = 8,

    /// <summary>
    /// The value is reported, computed with an assumed input: the water level with fresh water's density when the
    /// salinity is not known (an open or faulty EC probe). Density differs by under 1 % between 0 and 12 ‰, under 1 cm
    /// of level per metre of water: a flood reading is still worth far more than none.
    /// </summary>
    AssumedFreshWater = 9,
}
