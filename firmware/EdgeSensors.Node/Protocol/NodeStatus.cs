namespace EdgeSensors.Node.Protocol;

/// <summary>What a node says about itself on its retained status topic.</summary>
public sealed class NodeStatus
{
    /// <summary>Node id.</summary>
    public string Node { get; set; } = string.Empty;

    /// <summary>Firmware version.</summary>
    public string Firmware { get; set; } = string.Empty;

    /// <summary>Current boot id.</summary>
    public uint Boot { get; set; }

    /// <summary>Why the chip last reset: power_on, brownout, watchdog, deep_sleep, software, panic, unexpected, unknown.</summary>
    public string ResetReason { get; set; } = "unknown";

    /// <summary>Battery voltage, V (NaN when not measured).</summary>
    public double BatteryVolts { get; set; } = double.NaN;

    /// <summary>Wi-Fi signal, dBm (0 when unknown).</summary>
    public int RssiDbm { get; set; }

    /// <summary>Free managed memory, bytes (−1 when unknown).</summary>
    public long FreeMemoryBytes { get; set; } = -1;

    /// <summary>Samples waiting in the outbox.</summary>
    public int OutboxDepth { get; set; }

    /// <summary>Samples the outbox dropped because it was full (since it was created).</summary>
    public uint OutboxDropped { get; set; }

    /// <summary>Sensor faults, as "field:fault" (e.g. "ec_ms_cm:open_probe").</summary>
    public string[] Faults { get; set; } = new string[0];

    /// <summary>Why the last config was refused (empty when it was accepted).</summary>
    public string ConfigError { get; set; } = string.Empty;

    /// <summary>Revision of the config in force.</summary>
    public long ConfigRevision { get; set; }

    /// <summary>Whether the clock is set by SNTP.</summary>
    public bool ClockSynchronized { get; set; }

    /// <summary>Sampling interval in force, s.</summary>
    public int IntervalSeconds { get; set; }

    /// <summary>Power mode in force.</summary>
    public string Mode { get; set; } = string.Empty;
}
