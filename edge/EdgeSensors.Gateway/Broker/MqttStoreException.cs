namespace EdgeSensors.Gateway.Broker;

/// <summary>Thrown from the publish interceptor when a reading could not be stored, so MQTTnet drops the connection without a PUBACK.</summary>
public sealed class MqttStoreException : Exception
{
    public MqttStoreException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
