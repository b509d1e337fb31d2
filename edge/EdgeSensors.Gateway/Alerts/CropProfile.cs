namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Salinity thresholds (‰) for one crop or use: at or above Watch the farmer should watch; at or above Warning, not
/// take water in; at or above Danger, harm is done. Names in Vietnamese first; the source of the figures is kept
/// with them.
/// </summary>
public sealed record CropProfile(string Id, string NameVi, string NameEn, string WaterVi, string WaterEn, double Watch, double Warning, double Danger, string Source)
{
    public AlertLevel LevelFor(double salinityPpt) =>
        salinityPpt >= Danger ? AlertLevel.Danger : salinityPpt >= Warning ? AlertLevel.Warning : salinityPpt >= Watch ? AlertLevel.Watch : AlertLevel.None;

    public double Threshold(AlertLevel level) => level switch
    {
        AlertLevel.Watch => Watch,
        AlertLevel.Warning => Warning,
        AlertLevel.Danger => Danger,
        _ => double.NegativeInfinity,
    };
}
