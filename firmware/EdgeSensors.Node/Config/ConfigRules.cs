namespace EdgeSensors.Node.Config;

/// <summary>The limits a config must respect, shared by the firmware's decoder and the technician CLI.</summary>
public static class ConfigRules
{
    /// <summary>Shortest sampling interval, s.</summary>
    public const int MinIntervalSeconds = 1;

    /// <summary>Longest sampling interval, s (one day).</summary>
    public const int MaxIntervalSeconds = 86400;

    /// <summary>Smallest outbox.</summary>
    public const int MinOutboxCapacity = 16;

    /// <summary>Largest outbox (a 96-byte record each: under 2 MB of flash).</summary>
    public const int MaxOutboxCapacity = 20000;

    /// <summary>Largest config document, bytes.</summary>
    public const int MaxDocumentBytes = 4096;
}
