using System.Text.Json;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Where node status reports come from, as the alert engine sees it: an event, not the broker. The MQTT broker is
/// one adapter that raises it; tests and other transports can be others.
/// </summary>
public interface INodeStatusFeed
{
    /// <summary>A node reported its status (node id, the status document).</summary>
    event Action<string, JsonElement>? StatusReceived;
}
