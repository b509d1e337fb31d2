namespace EdgeSensors.Node.Science;

/// <summary>What a pressure transducer measures.</summary>
public enum PressureReference
{
    /// <summary>Absolute pressure (sealed sensor): the air pressure above the water must be subtracted.</summary>
    Absolute = 0,

    /// <summary>Gauge pressure (vented cable): the sensor already reads pressure above atmospheric.</summary>
    Gauge = 1,
}
