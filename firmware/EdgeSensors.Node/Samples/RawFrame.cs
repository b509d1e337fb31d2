namespace EdgeSensors.Node.Samples;

/// <summary>
/// What the hardware gave for one measurement: raw ADC bursts for the analog sensors and already-converted values
/// from the digital ones (NaN where a sensor did not answer). The device's adapters fill it from real drivers;
/// the emulator fills it from its simulated site.
/// </summary>
public sealed class RawFrame
{
    /// <summary>ADC counts of the conductivity board's output, one per burst sample.</summary>
    public int[] EcCounts { get; set; } = new int[0];

    /// <summary>ADC counts of the pressure transducer's output (empty when none is fitted).</summary>
    public int[] PressureCounts { get; set; } = new int[0];

    /// <summary>Full-scale count of the EC burst's range (32767 on the ADS1115).</summary>
    public int EcFullScale { get; set; } = 32767;

    /// <summary>The highest count the EC input can really reach (its converter's supply); 0 when it is full scale.</summary>
    public int EcHighestCode { get; set; }

    /// <summary>Volts at full scale of the EC burst's range (the ADS1115's PGA range, chosen per burst).</summary>
    public double EcFullScaleVolts { get; set; } = 4.096;

    /// <summary>Full-scale count of the pressure burst's range.</summary>
    public int PressureFullScale { get; set; } = 32767;

    /// <summary>Volts at full scale of the pressure burst's range.</summary>
    public double PressureFullScaleVolts { get; set; } = 4.096;

    /// <summary>
    /// The transducer's 5 V supply as measured (V), for ratiometric correction: the 0.5–4.5 V output scales with it.
    /// NaN when not measured (the nominal 5.0 V is then assumed).
    /// </summary>
    public double PressureSupplyVolts { get; set; } = double.NaN;

    /// <summary>Water temperature from the probe's sensor, °C.</summary>
    public double WaterTempC { get; set; } = double.NaN;

    /// <summary>BME280 air temperature, °C.</summary>
    public double AirTempC { get; set; } = double.NaN;

    /// <summary>BME280 air pressure, hPa.</summary>
    public double AirPressureHpa { get; set; } = double.NaN;

    /// <summary>BME280 relative humidity, %.</summary>
    public double HumidityPct { get; set; } = double.NaN;

    /// <summary>
    /// Width of the ranger's output pulse, s (NaN when no ranger or no pulse). What it means is the part's own rule,
    /// applied in <see cref="Science.WaterLevel"/>: the echo's round trip (JSN-SR04T), or 1 µs per mm one way (MaxSonar).
    /// </summary>
    public double RangePulseSeconds { get; set; } = double.NaN;
}
