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

    /// <summary>ADC full-scale count (4095 for the ESP32's 12-bit ADC).</summary>
    public int AdcFullScale { get; set; } = 4095;

    /// <summary>Volts at full scale (3.3 V with 11 dB attenuation, after the board's calibration).</summary>
    public double AdcFullScaleVolts { get; set; } = 3.3;

    /// <summary>Water temperature from the probe's sensor, °C.</summary>
    public double WaterTempC { get; set; } = double.NaN;

    /// <summary>BME280 air temperature, °C.</summary>
    public double AirTempC { get; set; } = double.NaN;

    /// <summary>BME280 air pressure, hPa.</summary>
    public double AirPressureHpa { get; set; } = double.NaN;

    /// <summary>BME280 relative humidity, %.</summary>
    public double HumidityPct { get; set; } = double.NaN;

    /// <summary>Ultrasonic echo round-trip time, s (NaN when none or no echo).</summary>
    public double EchoSeconds { get; set; } = double.NaN;
}
