namespace EdgeSensors.Node.Protocol;

/// <summary>
/// When a synced sample's time is believed: one home for the gateway's check (Broker:MaxFutureSkewSeconds and
/// Broker:EarliestPlausibleTs default to these) and for the emulator, which must never date a sample beyond them
/// (issue 30: at --speed 60 its clock ran ahead and the gateway kept 712 of 718 samples at their receive time).
/// </summary>
public static class SampleTimes
{
    /// <summary>A synced sample more than this far ahead of the gateway's clock is kept at the receive time and flagged ts_implausible, s.</summary>
    public const long MaxFutureSkewSeconds = 300;

    /// <summary>…as is one dated before this (unix s: 2024-01-01, before any node existed).</summary>
    public const long EarliestPlausibleTs = 1_704_067_200;
}
