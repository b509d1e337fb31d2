using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>
/// What the IOC may change on this gateway's nodes through its cloud-to-device channel (issue 29). A compromised IOC
/// link must not be able to blind a station, drain its battery or move its calibration (which moves the relay): by
/// default it may set the sampling interval within bounds, a few times an hour per node, and nothing else.
/// Section "IocAuthority"; an operator widens it on purpose, key by key.
/// </summary>
public sealed class IocAuthorityOptions
{
    public const string Section = "IocAuthority";

    /// <summary>Config keys the IOC may set (top-level names of the config document; "calibration" for its object).</summary>
    public string[] AllowedKeys { get; set; } = ["interval_s"];

    /// <summary>Shortest interval the IOC may set, s (the node's battery budget is for ≥ 5 min).</summary>
    [Range(1, 86400)]
    public int MinIntervalSeconds { get; set; } = 300;

    /// <summary>Longest interval the IOC may set, s (longer blinds a station for the tide).</summary>
    [Range(1, 86400)]
    public int MaxIntervalSeconds { get; set; } = 3600;

    /// <summary>Whether the IOC may change calibration at all (with a calibration record, within the guard's factor).</summary>
    public bool AllowCalibration { get; set; }

    /// <summary>Changes the IOC may make per node per hour.</summary>
    [Range(0, 1000)]
    public int MaxChangesPerNodePerHour { get; set; } = 4;
}
