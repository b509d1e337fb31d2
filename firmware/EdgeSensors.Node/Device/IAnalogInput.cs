namespace EdgeSensors.Node.Device;

/// <summary>
/// One analog input: the ADS1115 front end (<see cref="AutoRangingInput"/>) or, for the battery only, ESP32 ADC1
/// (ADC2 is unusable while Wi-Fi is on).
/// </summary>
public interface IAnalogInput
{
    /// <summary>Full-scale count of the current range (32767 on the ADS1115, 4095 on the ESP32).</summary>
    int FullScale { get; }

    /// <summary>
    /// The highest count the input can really produce in the current range: the code of the converter's supply when
    /// the range reaches above it (an ADS1115 on 3.3 V at ±4.096 V codes nothing above ~26,400), else full scale.
    /// </summary>
    int HighestCode { get; }

    /// <summary>Volts at full scale in the current range.</summary>
    double FullScaleVolts { get; }

    /// <summary>Chooses the range for the next burst (a converter without ranges does nothing).</summary>
    void SelectRange();

    /// <summary>One conversion, in counts of the current range; −1 when the converter did not answer.</summary>
    int Read();
}
