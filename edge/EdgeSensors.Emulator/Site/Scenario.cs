namespace EdgeSensors.Emulator.Site;

/// <summary>
/// A season and river state for the simulated site. Salinity at a node follows the tide: it rises on the flood and
/// peaks about an hour after high water (salt is carried up on the flood and the water slacks), on a base set by the
/// season and the river's discharge (dry season December–May, Mekong flow at Cần Thơ under 4,000 m³/s).
/// </summary>
public sealed record Scenario(
    string Name,
    DateTime DefaultStart,
    double DischargeM3s,
    double MeanLevelShiftM,
    double BaseSalinityPpt,
    double TidalSalinityPpt,
    double WaterTempMeanC,
    string Description)
{
    /// <summary>Hours by which the salinity peak lags high water.</summary>
    public const double SalinityLagHours = 1.0;

    public static IReadOnlyList<Scenario> Presets { get; } =
    [
        new("wet-calm", new DateTime(2026, 9, 15, 0, 0, 0, DateTimeKind.Utc), 25000, 0.45, 0.05, 0.05, 29.0,
            "Wet season (Sep): high Mekong flow pushes salt far out; canals are fresh (< 0.2 ‰)."),
        new("dry-typical", new DateTime(2026, 2, 10, 0, 0, 0, DateTimeKind.Utc), 5000, -0.10, 0.4, 1.6, 28.0,
            "An ordinary dry season (Feb): salinity touches 1–2 ‰ on spring floods."),
        new("dry-2020", new DateTime(2026, 2, 14, 0, 0, 0, DateTimeKind.Utc), 3000, -0.20, 1.6, 5.5, 28.5,
            "A 2019–2020-like dry season: peaks of 5–7 ‰ in Vị Thanh canals (5.6 ‰ at Kênh Lầu on 14 Feb 2020), up to ~10 ‰ at nodes nearest the Cái Lớn."),
    ];

    public static Scenario Find(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
        ?? throw new ArgumentException($"unknown scenario '{name}'; known: {string.Join(", ", Presets.Select(p => p.Name))}");

    /// <summary>True in the dry season months (December–May).</summary>
    public static bool IsDrySeason(DateTime utc) => utc.Month is 12 or <= 5;
}
