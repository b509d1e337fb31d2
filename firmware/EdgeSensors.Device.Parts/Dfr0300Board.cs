using System;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// The analog EC board of the DFR0300 class with its K = 1 probe: it outputs a voltage proportional to the
/// conductivity at the water's own temperature (the vendor's library, not the board, compensates to 25 °C), about
/// 6.1 mS/cm per volt, specified from 1 to 20 mS/cm; its output cannot rise above its supply (here the isolated
/// 3.3 V rail). <see cref="TransferMsCmPerVolt"/> and <see cref="OffsetVolts"/> are this board's own, which calibration
/// finds; with the probe out of the water the output sits at the bottom rail.
/// </summary>
public sealed class Dfr0300Board
{
    /// <summary>This board's transfer, mS/cm per volt (nominal 6.1).</summary>
    public double TransferMsCmPerVolt { get; set; } = 6.1;

    /// <summary>This board's output offset, volts.</summary>
    public double OffsetVolts { get; set; }

    /// <summary>The supply the output saturates at, volts.</summary>
    public double SupplyVolts { get; set; } = 3.3;

    /// <summary>The conductivity at the probe, mS/cm at the water's temperature; NaN with the probe in air.</summary>
    public double ConductivityMsCm { get; set; } = double.NaN;

    /// <summary>The output voltage now.</summary>
    public double OutputVolts()
    {
        if (double.IsNaN(ConductivityMsCm))
        {
            return 0.0002;
        }

        return Math.Clamp((ConductivityMsCm / TransferMsCmPerVolt) + OffsetVolts, 0, SupplyVolts);
    }
}
