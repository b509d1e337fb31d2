using System;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// The water-temperature NTC as wired: 10 kΩ fixed from the switched 3.3 V rail to ADS1115 AIN2, the thermistor from
/// AIN2 to ground. The thermistor follows its datasheet's B-parameter equation, R = R25 · exp(B · (1/T − 1/298.15 K)),
/// with R25 = 10 kΩ and B = 3950 K (the probe in the bill of materials); the rail's tolerance moves the pin voltage.
/// </summary>
public sealed class NtcDivider
{
    public double WaterTempC { get; set; } = 25.0;

    public double RailVolts { get; set; } = 3.3;

    public double FixedOhms { get; set; } = 10_000;

    public double R25Ohms { get; set; } = 10_000;

    public double BetaK { get; set; } = 3950;

    public double PinVolts()
    {
        double kelvin = WaterTempC + 273.15;
        double r = R25Ohms * Math.Exp(BetaK * ((1 / kelvin) - (1 / 298.15)));
        return RailVolts * r / (r + FixedOhms);
    }
}
