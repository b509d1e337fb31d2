namespace EdgeSensors.Node.Device;

/// <summary>An ultrasonic ranger (JSN-SR04T): the echo's round-trip time, or false when no echo came back.</summary>
public interface IRangeSensor
{
    /// <summary>Echo round-trip time in seconds.</summary>
    bool TryReadEcho(out double echoSeconds);
}
