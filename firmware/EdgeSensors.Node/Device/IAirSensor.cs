namespace EdgeSensors.Node.Device;

/// <summary>The air sensor (BME280): one reading, or false when the sensor does not answer (never stale values).</summary>
public interface IAirSensor
{
    /// <summary>Reads temperature (°C), pressure (hPa) and humidity (%).</summary>
    bool TryRead(out double temperatureC, out double pressureHpa, out double humidityPct);
}
