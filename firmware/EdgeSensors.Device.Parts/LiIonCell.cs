using System;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// The node's 18650 Li-ion cell (NCR18650B class) and the path from it to the ESP32's ADC: open-circuit voltage as a
/// function of charge (a typical discharge curve at room temperature: 4.2 V full, a long plateau near 3.6–3.7 V, a
/// knee below 10 %), the 1 MΩ / 1 MΩ divider to GPIO 34, and the ESP32 ADC1 at 11 dB attenuation, which reads nothing
/// below about 0.1 V and has a chip-to-chip gain spread (Espressif's ADC documentation: usable 150–2450 mV at 11 dB,
/// uncalibrated reference 1000–1200 mV). The node's battery_gain corrects the gain at commissioning.
/// </summary>
public sealed class LiIonCell
{
    // (state of charge, open-circuit volts), typical of an NCR18650B at 25 °C.
    private static readonly (double Soc, double Volts)[] Curve =
    [
        (0.00, 3.00), (0.02, 3.20), (0.05, 3.30), (0.10, 3.45), (0.20, 3.55), (0.40, 3.65),
        (0.60, 3.78), (0.80, 3.95), (0.90, 4.05), (1.00, 4.20),
    ];

    private double _charge = 0.8;

    /// <summary>State of charge, 0–1.</summary>
    public double Charge
    {
        get => _charge;
        set => _charge = Math.Clamp(value, 0, 1);
    }

    /// <summary>The cell's voltage now.</summary>
    public double Volts
    {
        get
        {
            for (int i = 1; i < Curve.Length; i++)
            {
                if (_charge <= Curve[i].Soc)
                {
                    (double s0, double v0) = Curve[i - 1];
                    (double s1, double v1) = Curve[i];
                    return v0 + ((v1 - v0) * (_charge - s0) / (s1 - s0));
                }
            }

            return Curve[^1].Volts;
        }
    }

    /// <summary>Zero offset of this chip's ADC at 11 dB, volts at the pin.</summary>
    public double AdcOffsetVolts { get; set; } = 0.08;

    /// <summary>Pin volts that read as full scale (4095) on this chip at 11 dB.</summary>
    public double AdcSpanVolts { get; set; } = 3.15;

    /// <summary>Sets the charge that gives <paramref name="volts"/> at rest.</summary>
    public void SetVolts(double volts)
    {
        double lo = 0, hi = 1;
        for (int i = 0; i < 40; i++)
        {
            double mid = (lo + hi) / 2;
            Charge = mid;
            if (Volts < volts)
            {
                lo = mid;
            }
            else
            {
                hi = mid;
            }
        }

        Charge = (lo + hi) / 2;
    }

    /// <summary>The 12-bit code ADC1 channel 6 reads through the divider.</summary>
    public int AdcCode()
    {
        double pin = Volts / 2.0;
        double code = (pin - AdcOffsetVolts) / AdcSpanVolts * 4095.0;
        return (int)Math.Clamp(Math.Round(code), 0, 4095);
    }
}
