namespace EdgeSensors.Gateway.Admin;

/// <summary>Log event ids of the operator API (1700–1799).</summary>
internal static class AdminEvents
{
    public static readonly EventId LoginFailed = new(1700, nameof(LoginFailed));
    public static readonly EventId Audited = new(1701, nameof(Audited));
}
