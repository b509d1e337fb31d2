namespace EdgeSensors.Gateway.Uplink.IotHub;

/// <summary>Log event ids of the IoT Hub adapter (1250–1259, inside the uplink's range).</summary>
internal static class IotHubEvents
{
    public static readonly EventId Connected = new(1250, nameof(Connected));
    public static readonly EventId TokenRenewed = new(1251, nameof(TokenRenewed));
    public static readonly EventId Oversize = new(1252, nameof(Oversize));
    public static readonly EventId CloudCommand = new(1253, nameof(CloudCommand));
}
