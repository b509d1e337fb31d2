namespace EdgeSensors.Gateway.Broker;

/// <summary>Log event ids of the node broker (1100–1199).</summary>
internal static class BrokerEvents
{
    public static readonly EventId Started = new(1100, nameof(Started));
    public static readonly EventId ConnectionRefused = new(1101, nameof(ConnectionRefused));
    public static readonly EventId PublishRefused = new(1102, nameof(PublishRefused));
    public static readonly EventId SubscriptionRefused = new(1103, nameof(SubscriptionRefused));
    public static readonly EventId NodeConnected = new(1104, nameof(NodeConnected));
    public static readonly EventId NodeDisconnected = new(1105, nameof(NodeDisconnected));
    public static readonly EventId StoreFailed = new(1106, nameof(StoreFailed));
    public static readonly EventId NodeLeftBeforeCommit = new(1107, nameof(NodeLeftBeforeCommit));
    public static readonly EventId ImplausibleTime = new(1108, nameof(ImplausibleTime));
    public static readonly EventId Banned = new(1109, nameof(Banned));
}
