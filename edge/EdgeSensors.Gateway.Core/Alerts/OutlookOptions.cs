using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// Predicted-crossing and upstream warnings (issue 31). Section "Alerts:Outlook". Defaults chosen with the lead-time
/// benchmark over an emulated dry season (bench/README.md, "Warning lead time").
/// </summary>
public sealed class OutlookOptions
{
    /// <summary>Raise predicted-crossing and upstream warnings at all.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>How far ahead a forecast crossing raises a warning, min: enough to walk to the sluice and close it.</summary>
    [Range(15, 720)]
    public int HorizonMinutes { get; set; } = 180;

    /// <summary>Raised when the chance of reaching the level within the horizon is at least this (one-sided normal on the fit's residuals).</summary>
    [Range(0.05, 0.99)]
    public double RaiseProbability { get; set; } = 0.3;

    /// <summary>Cleared when that chance has fallen under this (hysteresis), or when the level has been reached.</summary>
    [Range(0.01, 0.99)]
    public double ClearProbability { get; set; } = 0.1;

    /// <summary>The tide fit is redone at most this often per station, min (the constituents change over days, not hours).</summary>
    [Range(10, 1440)]
    public int RefitMinutes { get; set; } = 180;

    /// <summary>The fit's latest error (readings of the last this-many minutes against it) is carried forward…</summary>
    [Range(15, 360)]
    public int ResidualWindowMinutes { get; set; } = 60;

    /// <summary>…fading with this time constant, h: a front that lifts salinity above the fitted tide lifts the next hours too.</summary>
    [Range(0.5, 48)]
    public double ResidualDecayHours { get; set; } = 6;

    /// <summary>A growing error (a front rising faster than the fitted tide) is carried forward this far, h.</summary>
    [Range(0, 12)]
    public double TrendHours { get; set; } = 2;

    /// <summary>Without a week of readings (no tide fit), a rising trend is extrapolated this far at most, min.</summary>
    [Range(15, 240)]
    public int SlopeHorizonMinutes { get; set; } = 90;

    /// <summary>
    /// Rivers and canals as ordered chains of node ids, from the sea (downstream) to inland: a crossing forecast at a
    /// downstream station warns the next one up with the travel time learned from their histories.
    /// </summary>
    public Dictionary<string, string[]> Rivers { get; set; } = [];

    /// <summary>Longest travel time looked for between neighbours, h.</summary>
    [Range(1, 48)]
    public double UpstreamMaxLagHours { get; set; } = 12;

    /// <summary>Days of common history needed before a travel time is trusted.</summary>
    [Range(1, 14)]
    public double UpstreamMinDays { get; set; } = 3;

    /// <summary>A travel time is trusted only when the lagged series correlate at least this well.</summary>
    [Range(0.1, 1)]
    public double UpstreamMinCorrelation { get; set; } = 0.7;

    /// <summary>Problem with the settings, or null.</summary>
    public string? Problem()
    {
        if (ClearProbability >= RaiseProbability)
        {
            return $"Alerts:Outlook:ClearProbability ({ClearProbability}) must be below RaiseProbability ({RaiseProbability})";
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (river, nodes) in Rivers)
        {
            if (nodes.Length < 2)
            {
                return $"Alerts:Outlook:Rivers:{river} needs at least two nodes, downstream first";
            }

            foreach (string n in nodes)
            {
                if (!seen.Add(n))
                {
                    return $"Alerts:Outlook:Rivers: node '{n}' is on two rivers or twice on one";
                }
            }
        }

        return null;
    }
}
