using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>The alert engine's settings. Section "Alerts".</summary>
public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Profile for nodes without one of their own.</summary>
    [Required]
    public string DefaultProfile { get; set; } = "rice_tillering";

    /// <summary>Profile per node id, or per zone name (see <see cref="Zones"/>).</summary>
    public Dictionary<string, string> NodeProfiles { get; set; } = [];

    /// <summary>Zones: name → node ids; NodeProfiles may name a zone.</summary>
    public Dictionary<string, string[]> Zones { get; set; } = [];

    /// <summary>Extra or replaced profiles (same id replaces a default).</summary>
    public List<CropProfileOptions> Profiles { get; set; } = [];

    /// <summary>An alert lowers only when the value is this far below the threshold, ‰.</summary>
    [Range(0, 10)]
    public double HysteresisPpt { get; set; } = 0.2;

    /// <summary>Consecutive readings a new level must hold before it is raised or lowered.</summary>
    [Range(1, 100)]
    public int MinConsecutiveReadings { get; set; } = 2;

    /// <summary>…and for at least this long, s.</summary>
    [Range(0, 86400)]
    public int MinDurationSeconds { get; set; }

    /// <summary>Salinity rising at least this fast over <see cref="RiseWindowMinutes"/> raises "rising fast", ‰/h.</summary>
    [Range(0.01, 100)]
    public double RisePptPerHour { get; set; } = 0.5;

    [Range(5, 1440)]
    public int RiseWindowMinutes { get; set; } = 60;

    /// <summary>A node quiet for this many times its interval is stale.</summary>
    [Range(1.5, 100)]
    public double StaleMultiple { get; set; } = 3;

    /// <summary>Interval assumed for nodes that have not said theirs, s.</summary>
    [Range(1, 86400)]
    public int DefaultIntervalSeconds { get; set; } = 900;

    /// <summary>Flooding: level at or above this, m above datum (null: off).</summary>
    public double? LevelHighM { get; set; } = 1.2;

    /// <summary>Low water for pumping: level at or below this, m (null: off).</summary>
    public double? LevelLowM { get; set; } = -0.8;

    /// <summary>
    /// Gateway enclosure air (its BME280), °C: watch at 40; warning at 45, where Li-ion cells must stop charging and
    /// the Pi 4 is near throttling (its SoC runs ~25 °C above the air); danger at 60, the cells' discharge limit.
    /// </summary>
    [Range(20, 90)]
    public double EnclosureWatchC { get; set; } = 40;

    [Range(20, 90)]
    public double EnclosureWarningC { get; set; } = 45;

    [Range(20, 90)]
    public double EnclosureDangerC { get; set; } = 60;

    /// <summary>Predicted-crossing and upstream warnings ("Alerts:Outlook").</summary>
    public OutlookOptions Outlook { get; set; } = new();
}
