using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Probe;

/// <summary>
/// Cheap EC probes report EC25, conductivity "compensated" to 25 °C with a linear coefficient α of their own
/// (EC25 = EC_t / (1 + α (t − 25)), typically α = 0.0185–0.02 /°C). PSS-78 needs the in-situ conductivity EC_t,
/// so that compensation is undone here before any salinity is computed.
/// </summary>
public static class ConductivityProbe
{
    /// <summary>Reference temperature of the probe's compensation, °C.</summary>
    public const double ReferenceTemperatureC = 25.0;

    /// <summary>In-situ conductivity EC_t from the probe's EC25 and its temperature coefficient α (1/°C).</summary>
    public static double InSituFromEc25(double ec25, double waterTemperatureC, double alphaPerC)
    {
        double factor = 1.0 + (alphaPerC * (waterTemperatureC - ReferenceTemperatureC));
        if (!FloatMath.IsFinite(ec25) || !FloatMath.IsFinite(factor) || factor <= 0)
        {
            return double.NaN;
        }

        return ec25 * factor;
    }

    /// <summary>EC25 as the probe would report it for an in-situ conductivity (the inverse, used by simulators).</summary>
    public static double Ec25FromInSitu(double ecInSitu, double waterTemperatureC, double alphaPerC)
    {
        double factor = 1.0 + (alphaPerC * (waterTemperatureC - ReferenceTemperatureC));
        return factor <= 0 ? double.NaN : ecInSitu / factor;
    }
}
