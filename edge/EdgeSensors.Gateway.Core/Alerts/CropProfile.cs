using EdgeSensors.Node.Science;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Salinity thresholds (‰) for one crop or use: at or above Watch the farmer should watch; at or above Warning, not
/// take water in (the most the source allows in water taken in); at or above Danger, harm is being done. Names in
/// Vietnamese first; the source of the figures is kept with them.
/// </summary>
/// <remarks>
/// The "falling below" rule: once an alert has reached Warning, it is lowered below Warning only when salinity has
/// stayed under <see cref="ReopenBelow"/> for <see cref="ReopenHoldMinutes"/> — the moment the farmer may reopen the
/// sluice (or, for shrimp–rice fields, start flushing and sowing) — and that lowering says so.
/// </remarks>
public sealed record CropProfile(string Id, string NameVi, string NameEn, string WaterVi, string WaterEn, double Watch, double Warning, double Danger, string Source)
{
    /// <summary>Salinity the water must fall below before intake may resume, ‰ (default: the watch level).</summary>
    public double? ReopenBelowPpt { get; init; }

    /// <summary>…for this long, minutes.</summary>
    public int ReopenHoldMinutes { get; init; } = 60;

    public double ReopenBelow => ReopenBelowPpt ?? Watch;

    /// <summary>What reopening means for this use, Vietnamese and English.</summary>
    public string ReopenVi { get; init; } = "có thể mở cống lấy nước";

    public string ReopenEn { get; init; } = "the sluice may be opened again";

    public AlertLevel LevelFor(double salinityPpt) =>
        salinityPpt >= Danger ? AlertLevel.Danger : salinityPpt >= Warning ? AlertLevel.Warning : salinityPpt >= Watch ? AlertLevel.Watch : AlertLevel.None;

    public double Threshold(AlertLevel level) => level switch
    {
        AlertLevel.Watch => Watch,
        AlertLevel.Warning => Warning,
        AlertLevel.Danger => Danger,
        _ => double.NegativeInfinity,
    };

    /// <summary>
    /// A threshold as conductivity of the water at 25 °C, dS/m (= mS/cm, what a handheld EC meter shows), by PSS-78
    /// with the Hill et al. extension below practical salinity 2 — so a farmer's or FAO's dS/m can be compared.
    /// </summary>
    public static double DsPerMetre(double ppt) => PracticalSalinity.ToConductivity(ppt, 25.0, 0.0);

    /// <summary>The inverse: a dS/m figure (EC25 of the water) as ‰.</summary>
    public static double PptOf(double dsPerMetre) => PracticalSalinity.FromConductivity(dsPerMetre, 25.0, 0.0);

    /// <summary>Why a profile is unusable, or null (thresholds ordered and positive, reopening under warning).</summary>
    public string? Problem()
    {
        if (!(Watch > 0 && Watch < Warning && Warning < Danger))
        {
            return $"profile '{Id}': thresholds must satisfy 0 < watch < warning < danger (got {Watch}, {Warning}, {Danger})";
        }

        if (!(ReopenBelow > 0 && ReopenBelow <= Warning))
        {
            return $"profile '{Id}': reopen_below must be above 0 and at most the warning level {Warning} (got {ReopenBelow})";
        }

        return ReopenHoldMinutes is < 0 or > 10080 ? $"profile '{Id}': reopen hold must be 0–10080 minutes (got {ReopenHoldMinutes})" : null;
    }
}
