namespace EdgeSensors.Gateway.Security;

/// <summary>
/// Something the province's security operations centre (SOC) should hear of: a refused or banned connect, a node
/// publishing or subscribing outside its ACL, a connection that was not MQTT, a failed TLS handshake. Operator actions
/// reach the SOC through the audit log (<see cref="Store.IAuditLog.Recorded"/>). Never carries a secret.
/// </summary>
/// <param name="Kind">Short machine name, the syslog MSGID (e.g. connect_refused, ban, acl_publish).</param>
/// <param name="Severity">RFC 5424 severity: 4 warning, 5 notice, 6 informational.</param>
/// <param name="Source">Remote address, when known.</param>
/// <param name="Node">The node id claimed or used, only when well-formed.</param>
/// <param name="Reason">The refusal reason (edgesensors_refused_total's label).</param>
/// <param name="Message">One line for a person.</param>
public sealed record SecurityEvent(DateTimeOffset At, string Kind, int Severity, string? Source, string? Node, string? Reason, string Message);

/// <summary>The one place security events are raised; the SOC forwarder (and tests) listen.</summary>
public sealed class SecurityEvents
{
    public const int Warning = 4;
    public const int Notice = 5;
    public const int Informational = 6;

    public event Action<SecurityEvent>? Raised;

    public void Raise(string kind, int severity, string? source, string? node, string? reason, string message) =>
        Raised?.Invoke(new SecurityEvent(DateTimeOffset.UtcNow, kind, severity, source, node, reason, message));
}
