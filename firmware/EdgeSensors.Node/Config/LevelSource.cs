namespace EdgeSensors.Node.Config;

/// <summary>Which sensor gives the water level.</summary>
public enum LevelSource
{
    /// <summary>No level sensor fitted.</summary>
    None = 0,

    /// <summary>Submerged pressure transducer (hydrostatic).</summary>
    Pressure = 1,

    /// <summary>Ultrasonic ranger looking down at the water (JSN-SR04T).</summary>
    Ultrasonic = 2,
}
