namespace EdgeSensors.Emulator.Site;

/// <summary>
/// Water level as a sum of harmonic constituents around a mean. Time is hours since 2000-01-01T00:00Z; phases are
/// relative to that epoch (not Greenwich phase lags).
/// Defaults for the Hậu River near Vị Thanh are ASSUMPTIONS: no published constituent table for Hậu Giang was found
/// (see docs/salinity-thresholds.md: "Constituent amplitudes for Hậu Giang itself were not found"). They are chosen
/// so that the range (≈1.5–2 m at springs, mixed semi-diurnal with a strong diurnal inequality) is plausible for a
/// site that receives the East Sea's semi-diurnal tide (3–4 m at the coast, damped inland) and the West Sea's
/// diurnal tide through the Cái Lớn.
/// </summary>
public sealed class TideModel
{
    public static readonly DateTime Epoch = new(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc);

    public TideModel(double meanLevelM, IReadOnlyList<TideConstituent> constituents)
    {
        MeanLevelM = meanLevelM;
        Constituents = constituents;
    }

    public double MeanLevelM { get; }

    public IReadOnlyList<TideConstituent> Constituents { get; }

    /// <summary>Assumed defaults for the Hậu River at Vị Thanh (see the class comment).</summary>
    public static IReadOnlyList<TideConstituent> HauRiverDefaults { get; } =
    [
        new("M2", 0.55, 40, TideConstituent.M2Speed),
        new("S2", 0.22, 75, TideConstituent.S2Speed),
        new("K1", 0.38, 310, TideConstituent.K1Speed),
        new("O1", 0.28, 270, TideConstituent.O1Speed),
    ];

    public static double Hours(DateTime utc) => (utc - Epoch).TotalHours;

    /// <summary>Level above datum at a time.</summary>
    public double Level(DateTime utc) => MeanLevelM + Anomaly(Hours(utc));

    /// <summary>Tidal anomaly (without the mean) at t hours since the epoch.</summary>
    public double Anomaly(double hours)
    {
        double sum = 0;
        foreach (TideConstituent c in Constituents)
        {
            sum += c.AmplitudeM * Math.Cos(((c.SpeedDegPerHour * hours) - c.PhaseDeg) * Math.PI / 180.0);
        }

        return sum;
    }

    /// <summary>Largest possible anomaly (all constituents in phase).</summary>
    public double MaxAnomaly => Constituents.Sum(c => c.AmplitudeM);

    /// <summary>dη/dt in m/h (positive on the flood).</summary>
    public double Rate(DateTime utc)
    {
        double h = Hours(utc);
        return (Anomaly(h + (1.0 / 120)) - Anomaly(h - (1.0 / 120))) * 60;
    }
}
