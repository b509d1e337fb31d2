using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Device;

/// <summary>
/// Water temperature from an NTC thermistor to ground with a fixed resistor to the reference voltage, by the β
/// equation 1/T = 1/T0 + ln(R/R0)/β (T in kelvin; R0 at T0 = 25 °C). Good to ±0.2 °C over 10–40 °C for a β3950 part.
/// </summary>
public static class NtcThermistor
{
    /// <summary>°C from a burst of counts, NaN when the input is open or shorted.</summary>
    public static double Celsius(double meanCounts, int fullScale, double fixedOhms, double r0Ohms, double beta)
    {
        if (!FloatMath.IsFinite(meanCounts) || meanCounts <= 1 || meanCounts >= fullScale - 1)
        {
            return double.NaN;
        }

        double r = fixedOhms * meanCounts / (fullScale - meanCounts);
        double invT = (1.0 / 298.15) + (FloatMath.Log(r / r0Ohms) / beta);
        return (1.0 / invT) - 273.15;
    }

    /// <summary>The counts a thermistor gives at a temperature (for simulators and tests).</summary>
    public static double Counts(double celsius, int fullScale, double fixedOhms, double r0Ohms, double beta)
    {
        double r = r0Ohms * FloatMath.Exp(beta * ((1.0 / (celsius + 273.15)) - (1.0 / 298.15)));
        return fullScale * r / (r + fixedOhms);
    }
}
