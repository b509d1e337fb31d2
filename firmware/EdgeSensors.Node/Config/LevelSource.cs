namespace EdgeSensors.Node.Config;

/// <summary>Which sensor gives the water level. Wire names in <see cref="LevelSources"/>.</summary>
public enum LevelSource
{
    /// <summary>No level sensor fitted.</summary>
    None = 0,

    /// <summary>Submerged pressure transducer (hydrostatic).</summary>
    Pressure = 1,

    /// <summary>
    /// HC-SR04-class ranger looking down at the water (JSN-SR04T): a ≥ 10 µs trigger, an echo pulse as long as the
    /// sound's round trip, converted with the speed of sound at the measured air temperature.
    /// </summary>
    Ultrasonic = 2,

    /// <summary>
    /// MaxBotix HRXL-MaxSonar-WR 5 m class (MB7389) looking down at the water: a &gt; 20 µs trigger on pin 4, a pulse on
    /// pin 2 of 1 µs per millimetre of one-way distance, already compensated for temperature inside the sensor.
    /// </summary>
    MaxSonar = 3,
}
