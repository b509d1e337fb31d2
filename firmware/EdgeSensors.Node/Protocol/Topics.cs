namespace EdgeSensors.Node.Protocol;

/// <summary>Topic names and node-id rules of protocol v1 (docs/protocol.md).</summary>
public static class Topics
{
    /// <summary>Longest node id.</summary>
    public const int MaxNodeIdLength = 32;

    /// <summary>Largest telemetry payload, bytes.</summary>
    public const int MaxPayloadBytes = 8192;

    /// <summary>Protocol version carried in every payload as "v".</summary>
    public const int ProtocolVersion = 1;

    /// <summary>sensors/{node}/telemetry — QoS 1, node → gateway.</summary>
    public static string Telemetry(string node) => "sensors/" + node + "/telemetry";

    /// <summary>sensors/{node}/status — retained; the last will sets it offline.</summary>
    public static string Status(string node) => "sensors/" + node + "/status";

    /// <summary>sensors/{node}/config — retained, gateway → node.</summary>
    public static string Config(string node) => "sensors/" + node + "/config";

    /// <summary>
    /// A node id is 1–32 characters of lower-case letters, digits and '-', starting with a letter or digit.
    /// (It is a topic level, an MQTT username and a file name, so nothing else is allowed.)
    /// </summary>
    public static bool IsValidNodeId(string? id)
    {
        if (id == null || id.Length == 0 || id.Length > MaxNodeIdLength || id[0] == '-')
        {
            return false;
        }

        for (int i = 0; i < id.Length; i++)
        {
            char c = id[i];
            if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
            {
                return false;
            }
        }

        return true;
    }
}
