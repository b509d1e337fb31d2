namespace EdgeSensors.Node.Device;

/// <summary>
/// A multiplexed converter with a programmable full-scale range — the ADS1115 (TI, 16 bits, ±0.256 to ±6.144 V).
/// On the ESP32 it is nanoFramework.Iot.Device.Ads1115 over I2C; in tests the desktop binding over a register-level
/// fake. The range logic that makes fresh water readable lives in <see cref="AutoRangingInput"/>.
/// </summary>
public interface IGainAdc
{
    /// <summary>
    /// One single-shot conversion of single-ended input <paramref name="input"/> (0–3) at full-scale range
    /// <paramref name="range"/> (an index into <see cref="Ads1115Range"/>); false when the converter did not answer.
    /// </summary>
    bool TryConvert(int input, int range, out int code);
}
