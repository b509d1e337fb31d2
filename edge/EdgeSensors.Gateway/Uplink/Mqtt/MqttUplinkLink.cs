using MQTTnet;

namespace EdgeSensors.Gateway.Uplink.Mqtt;

/// <summary>What both MQTT-based uplink adapters (a standard broker, IoT Hub) do the same way: a quiet disconnect (their TLS is in <see cref="GuardedUplinkStreamProvider"/>).</summary>
internal static class MqttUplinkLink
{
    /// <summary>Disconnects if connected; a link already gone is not an error.</summary>
    public static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync().ConfigureAwait(false);
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Already gone.
        }
    }
}
