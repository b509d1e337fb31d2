namespace EdgeSensors.Gateway.Ingest;

/// <summary>Why the gateway refused something; the label of edgesensors_refused_total.</summary>
public static class RefusalReason
{
    public const string UnknownNode = "unknown_node";
    public const string BadCredentials = "bad_credentials";
    public const string ClientIdMismatch = "client_id_mismatch";
    public const string TooManyConnections = "too_many_connections";
    public const string ForeignTopic = "foreign_topic";
    public const string SubscribeDenied = "subscribe_denied";
    public const string Oversize = "oversize";
    public const string Malformed = "malformed";
    public const string StoreFailure = "store_failure";
    public const string OversizePacket = "oversize_packet";
    public const string NotMqtt = "not_mqtt";
    public const string TlsHandshake = "tls_handshake";
    public const string Banned = "banned";
}
