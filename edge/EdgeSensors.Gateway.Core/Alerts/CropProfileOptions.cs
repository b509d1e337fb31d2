namespace EdgeSensors.Gateway.Alerts;

/// <summary>A profile given in configuration.</summary>
public sealed class CropProfileOptions
{
    public string Id { get; set; } = string.Empty;

    public string NameVi { get; set; } = string.Empty;

    public string NameEn { get; set; } = string.Empty;

    public string WaterVi { get; set; } = "ruộng";

    public string WaterEn { get; set; } = "fields";

    public double Watch { get; set; }

    public double Warning { get; set; }

    public double Danger { get; set; }

    /// <summary>Salinity intake may resume below, ‰ (null: the watch level).</summary>
    public double? ReopenBelow { get; set; }

    public int ReopenHoldMinutes { get; set; } = 60;

    public string Source { get; set; } = "local configuration";

    public CropProfile ToProfile() => new(Id, NameVi, NameEn, WaterVi, WaterEn, Watch, Warning, Danger, Source)
    {
        ReopenBelowPpt = ReopenBelow,
        ReopenHoldMinutes = ReopenHoldMinutes,
    };
}
