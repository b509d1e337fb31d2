namespace EdgeSensors.Node.Config;

/// <summary>
/// What a battery node's sampling costs, and what its cell can pay for (issue 31). The figures are the power
/// budget of hardware/node-esp32/README.md ("Power budget"; the node tests hold these to that table's figures): one wake
/// costs 0.23 mAh, sleep 0.5 mAh a day, and a 3,400 mAh NCR18650B gives about 2,700 mAh down to the firmware's
/// 3.30 V cutoff. The gateway asks for shorter intervals when salt is coming; the node refuses one its charge
/// cannot keep up for <see cref="ReserveDays"/> without sun, and says so in its status (config_error), and the
/// gateway's sampling policy reads the same rule so it does not ask. Written for nanoFramework: no System.Math.
/// </summary>
public static class PowerBudget
{
    /// <summary>Charge of one wake (boot, sensors, Wi-Fi and publish), mAh.</summary>
    public const double CycleMah = 0.23;

    /// <summary>Charge asleep per day (about 20 µA), mAh.</summary>
    public const double SleepMahPerDay = 0.5;

    /// <summary>Usable charge of a full cell down to the 3.30 V cutoff (80 % of 3,400 mAh: ageing and heat), mAh.</summary>
    public const double UsableMah = 2700;

    /// <summary>The design target: a node lasts this many days without sun (so it spends at most UsableMah / 60 a day on average).</summary>
    public const double BudgetDays = 60;

    /// <summary>
    /// A shorter interval is accepted only if the charge left pays for it this many days without sun. 30 keeps a node
    /// that starts full inside the 60-day budget however often it is asked to sample fast: 5 minutes until about
    /// 2,000 mAh are left, 10 until about 1,000, then 15 (≈ 2,100 mAh over 60 days, under the 2,700 usable).
    /// </summary>
    public const double ReserveDays = 30;

    // Open-circuit voltage (at rest, before the radio starts) against the share of the usable charge left, for a
    // Panasonic NCR18650B at about 25 °C, read from its published 0.2 C discharge curve and set to 0 at the
    // firmware's 3.30 V cutoff. Approximate (±10 %): a cell's voltage at rest says its charge only roughly.
    private static readonly double[] RestVolts = { 3.30, 3.40, 3.50, 3.60, 3.70, 3.80, 3.90, 4.00, 4.10, 4.20 };
    private static readonly double[] ShareLeft = { 0.00, 0.06, 0.13, 0.25, 0.42, 0.56, 0.68, 0.79, 0.90, 1.00 };

    /// <summary>Average charge per day at an interval, mAh.</summary>
    public static double MahPerDay(int intervalSeconds) =>
        intervalSeconds <= 0 ? double.MaxValue : (CycleMah * 86400.0 / intervalSeconds) + SleepMahPerDay;

    /// <summary>The most a node may spend per day on average to meet the 60-day target, mAh.</summary>
    public static double BudgetMahPerDay => UsableMah / BudgetDays;

    /// <summary>Charge left above the cutoff at a rest voltage, mAh (0 at or under 3.30 V, the usable charge at 4.20 V).</summary>
    public static double RemainingMah(double restVolts)
    {
        if (!(restVolts > RestVolts[0]))
        {
            return 0;
        }

        for (int i = 1; i < RestVolts.Length; i++)
        {
            if (restVolts <= RestVolts[i])
            {
                double f = (restVolts - RestVolts[i - 1]) / (RestVolts[i] - RestVolts[i - 1]);
                return UsableMah * (ShareLeft[i - 1] + (f * (ShareLeft[i] - ShareLeft[i - 1])));
            }
        }

        return UsableMah;
    }

    /// <summary>True when the charge left at <paramref name="restVolts"/> keeps <paramref name="intervalSeconds"/> up for <see cref="ReserveDays"/>.</summary>
    public static bool CanAfford(int intervalSeconds, double restVolts) =>
        RemainingMah(restVolts) >= ReserveDays * MahPerDay(intervalSeconds);

    /// <summary>The shortest interval, in whole minutes, the charge left can pay for over the reserve days (at most a day).</summary>
    public static int ShortestAffordableSeconds(double restVolts)
    {
        double perDay = (RemainingMah(restVolts) / ReserveDays) - SleepMahPerDay;
        if (perDay <= 0)
        {
            return ConfigRules.MaxIntervalSeconds;
        }

        double seconds = CycleMah * 86400.0 / perDay;
        int minutes = (int)(seconds / 60);
        if (minutes * 60 < seconds)
        {
            minutes++;
        }

        int s = minutes * 60;
        return s > ConfigRules.MaxIntervalSeconds ? ConfigRules.MaxIntervalSeconds : s < 60 ? 60 : s;
    }
}
