namespace EdgeSensors.Node.Device;

/// <summary>One ADC channel (ADC1 on the ESP32: ADC2 is unusable while Wi-Fi is on).</summary>
public interface IAnalogInput
{
    /// <summary>Full-scale count (4095 for 12 bits).</summary>
    int FullScale { get; }

    /// <summary>Volts at full scale.</summary>
    double FullScaleVolts { get; }

    /// <summary>One conversion.</summary>
    int Read();
}
