namespace EdgeSensors.Emulator.Site;

/// <summary>One harmonic constituent: η = A cos(ω t − φ), ω in degrees per hour (Doodson/IHO standard speeds).</summary>
public sealed record TideConstituent(string Name, double AmplitudeM, double PhaseDeg, double SpeedDegPerHour)
{
    /// <summary>Principal lunar semi-diurnal.</summary>
    public const double M2Speed = 28.9841042;

    /// <summary>Principal solar semi-diurnal.</summary>
    public const double S2Speed = 30.0;

    /// <summary>Luni-solar diurnal.</summary>
    public const double K1Speed = 15.0410686;

    /// <summary>Principal lunar diurnal.</summary>
    public const double O1Speed = 13.9430356;
}
