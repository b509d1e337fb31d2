using System.ComponentModel.DataAnnotations;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>Sampling that speeds up when it matters (issue 31). Section "Sampling".</summary>
public sealed class SamplingOptions
{
    public const string Section = "Sampling";

    /// <summary>The gateway sets battery nodes' intervals through their retained config (audited as "gateway:sampling").</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>When salt is near, rising, forecast or coming from downstream, s.</summary>
    [Range(60, 86400)]
    public int FastSeconds { get; set; } = 300;

    /// <summary>Otherwise, in the dry-season months, s (applied only when shorter than the node's own interval).</summary>
    [Range(60, 86400)]
    public int DrySeasonSeconds { get; set; } = new NodeConfig().IntervalSeconds;

    /// <summary>The node's own interval when it has not reported one, s (the firmware's and the CLI's default).</summary>
    [Range(60, 86400)]
    public int NormalSeconds { get; set; } = new NodeConfig().IntervalSeconds; // one home: the firmware's default

    /// <summary>Dry-season months, local time (the Mekong Delta's: December to May).</summary>
    public int[] DrySeasonMonths { get; set; } = [12, 1, 2, 3, 4, 5];

    /// <summary>Salinity at or above this share of the crop's warning level counts as near.</summary>
    [Range(0.1, 1)]
    public double NearFraction { get; set; } = 0.6;

    /// <summary>Once fast, stay fast this long after the last reason for it, min (no config churn at every tide).</summary>
    [Range(0, 1440)]
    public int HoldMinutes { get; set; } = 120;

    /// <summary>A node's interval is rewritten at most this often, min (a station hovering at a level does not churn its config).</summary>
    [Range(0, 1440)]
    public int MinMinutesBetweenChanges { get; set; } = 30;

    /// <summary>Nodes the gateway leaves alone (an operator's interval stands).</summary>
    public string[] Exclude { get; set; } = [];
}

/// <summary>What the planner knows of a node when it decides.</summary>
/// <param name="Mains">The node reports mode always_on: its interval is the operator's, never changed here.</param>
/// <param name="OwnSeconds">The node's own interval (its node.json's, as its status reported it before the gateway changed anything), if known.</param>
public sealed record SamplingInput(
    AlertLevel Salinity, bool Forecast, bool Upstream, bool Rising, double? LatestPpt, double WarningPpt, double? BatteryVolts, bool Mains, long Now, int? OwnSeconds = null);

/// <summary>An interval and why (audited with the config change); a null interval: the node's own (the gateway's change withdrawn).</summary>
public sealed record SamplingDecision(int? IntervalSeconds, string Reason);

/// <summary>
/// Decides each battery node's sampling interval: fast while salt is near (from <see cref="SamplingOptions.NearFraction"/>
/// of the crop's warning level), rising, forecast to cross or coming from downstream, and for
/// <see cref="SamplingOptions.HoldMinutes"/> after; the dry-season interval in those months; the normal one otherwise
/// — never shorter than the node's battery can pay for (<see cref="PowerBudget"/>, the rule the node itself applies
/// to a config it receives). Pure, per node; the caller applies a changed decision through the node-configuration
/// use case.
/// </summary>
public sealed class SamplingPlanner(SamplingOptions options)
{
    private readonly Dictionary<string, long> _fastUntil = new(StringComparer.Ordinal);

    public SamplingOptions Options => options;

    /// <summary>The interval the node should have now, or null when the planner leaves it alone.</summary>
    public SamplingDecision? Decide(string node, SamplingInput i)
    {
        if (!options.Enabled || i.Mains || options.Exclude.Contains(node, StringComparer.Ordinal))
        {
            return null;
        }

        string? why = i.Forecast ? "salt forecast"
            : i.Upstream ? "salt coming from downstream"
            : i.Salinity >= AlertLevel.Watch ? "salinity alert"
            : i.Rising ? "salinity rising"
            : i.LatestPpt is double p && p >= options.NearFraction * i.WarningPpt ? "salinity near the warning level"
            : null;
        if (why != null)
        {
            _fastUntil[node] = i.Now + (options.HoldMinutes * 60L);
        }
        else if (_fastUntil.TryGetValue(node, out long until) && i.Now < until)
        {
            why = "held after salt";
        }

        // Only ever shorter than the node's own interval (a technician's node.json, the firmware's 900 s by default):
        // a node set to sample every minute is never slowed down, and "back to normal" is the node's own interval.
        int own = i.OwnSeconds ?? options.NormalSeconds;
        bool dry = options.DrySeasonMonths.Contains(DateTimeOffset.FromUnixTimeSeconds(i.Now).ToOffset(TimeSpan.FromHours(7)).Month);
        (int wanted, string reason) = why != null ? (options.FastSeconds, "fast: " + why)
            : dry ? (options.DrySeasonSeconds, "dry season")
            : (own, "normal");
        if (wanted >= own)
        {
            return new SamplingDecision(null, why != null || dry ? reason + ": the node's own interval is already as short" : "the node's own interval");
        }

        if (i.BatteryVolts is double v && v > 0 && !PowerBudget.CanAfford(wanted, v))
        {
            int floor = PowerBudget.ShortestAffordableSeconds(v);
            return floor >= own
                ? new SamplingDecision(null, $"{reason}, but the battery ({v:0.00} V) pays for no less than the node's own interval")
                : new SamplingDecision(floor, $"{reason}, but the battery ({v:0.00} V) pays for {floor} s at the shortest");
        }

        return new SamplingDecision(wanted, reason);
    }
}
