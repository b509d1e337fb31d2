namespace EdgeSensors.Gateway.Uplink;

/// <summary>Log event ids of the uplink (1200–1299).</summary>
internal static class UplinkEvents
{
    public static readonly EventId Disabled = new(1200, nameof(Disabled));
    public static readonly EventId Connected = new(1201, nameof(Connected));
    public static readonly EventId ConnectFailed = new(1202, nameof(ConnectFailed));
    public static readonly EventId Forwarded = new(1203, nameof(Forwarded));
    public static readonly EventId LinkLost = new(1204, nameof(LinkLost));
}
