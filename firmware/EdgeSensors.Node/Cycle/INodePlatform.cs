namespace EdgeSensors.Node.Cycle;

/// <summary>Facts about the node itself, reported in status.</summary>
public interface INodePlatform
{
    /// <summary>Firmware version.</summary>
    string FirmwareVersion { get; }

    /// <summary>Why the chip last reset (power_on, brownout, watchdog, deep_sleep, software, panic, unexpected, unknown).</summary>
    string ResetReason { get; }

    /// <summary>Battery voltage, V (NaN when not measured).</summary>
    double BatteryVolts { get; }

    /// <summary>Wi-Fi RSSI, dBm (0 when unknown).</summary>
    int RssiDbm { get; }

    /// <summary>Free managed memory, bytes (−1 when unknown).</summary>
    long FreeMemoryBytes { get; }
}
