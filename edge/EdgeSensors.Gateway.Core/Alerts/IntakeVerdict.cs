namespace EdgeSensors.Gateway.Alerts;

/// <summary>
/// A station's answer for one crop (issue 30): may water be taken in now, since when, until when, and why — the
/// salinity level by the same tracker, hysteresis and "falling below" hold that drive the alerts, the lamps, the
/// relay and the SMS texts (for the station's own crop it is that very tracker). The farmers' page shows it as it is;
/// it never judges a value itself.
/// </summary>
/// <param name="Level">The crop's salinity level now.</param>
/// <param name="Intake">"yes" (no level), "limit" (watch), "no" (warning or danger).</param>
/// <param name="Since">When the level was last changed (the gateway's receive time), or null when not known (never changed since the gateway started with no alert to restore).</param>
/// <param name="ReopenAt">While the water is back under the reopening level but the hold has not run out: the earliest time the sluice may be reopened (at the first reading from then on, if it stays under).</param>
/// <param name="Value">The last salinity judged, ‰.</param>
/// <param name="ValueAt">When it was measured (the reading's own time).</param>
public sealed record IntakeVerdict(
    string Node, string Profile, AlertLevel Level, string Intake, long? Since, long? ReopenAt, double? Value, long? ValueAt,
    string TextVi, string TextEn, string WhyVi, string WhyEn)
{
    /// <summary>The answer, its texts written now from the numbers kept after each reading (<see cref="VerdictState"/>).</summary>
    public static IntakeVerdict Of(string node, CropProfile p, VerdictState state, double? value, long? valueAt)
    {
        (AlertLevel level, long? goodSince, long hold, long? since) = state;
        long? reopenAt = level >= AlertLevel.Warning && goodSince is long g && value is double v0 && v0 < p.ReopenBelow
            ? g + hold
            : null;
        string nameVi = p.NameVi.ToLowerInvariant(), nameEn = p.NameEn.ToLowerInvariant();
        (string vi, string en) = level switch
        {
            AlertLevel.Danger => ("NGUY HIỂM: đóng cống, không lấy nước", "DANGER: close the sluice, no intake"),
            AlertLevel.Warning => ($"Nước mặn, không lấy nước vào {p.WaterVi}", $"Salty: do not let water into {p.WaterEn}"),
            AlertLevel.Watch => ("Theo dõi, hạn chế lấy nước", "Watch, limit intake"),
            _ => ($"An toàn cho {nameVi}, có thể lấy nước", $"Safe for {nameEn}: water may be taken"),
        };
        if (reopenAt is long at)
        {
            vi += $" — đã dưới {AlertMessages.Ppt(p.ReopenBelow)} từ {AlertMessages.LocalClock(goodSince!.Value)}, {p.ReopenVi} từ {AlertMessages.LocalClock(at)} nếu vẫn dưới";
            en += $" — below {AlertMessages.PptEn(p.ReopenBelow)} since {AlertMessages.LocalClock(goodSince!.Value)}: {p.ReopenEn} from {AlertMessages.LocalClock(at)} if it stays below";
        }

        (string whyVi, string whyEn) = value is double v ? Why(p, level, v, reopenAt != null) : ("chưa có số liệu", "no reading yet");
        string intake = level >= AlertLevel.Warning ? "no" : level == AlertLevel.Watch ? "limit" : "yes";
        return new IntakeVerdict(node, p.Id, level, intake, since, reopenAt, value, valueAt, vi, en, whyVi, whyEn);
    }

    /// <summary>Why the level is what it is: the last value against the crop's levels, and what is awaited.</summary>
    private static (string Vi, string En) Why(CropProfile p, AlertLevel level, double v, bool reopening)
    {
        string vi = AlertMessages.Ppt(v), en = AlertMessages.PptEn(v);
        AlertLevel raw = p.LevelFor(v);
        if (raw > level)
        {
            // A worse level must hold for the confirming readings (Alerts:MinConsecutiveReadings), as the alerts do.
            return ($"{vi}, vượt mức {LevelVi(raw)} {AlertMessages.Ppt(p.Threshold(raw))}: chờ lần đo sau để xác nhận",
                $"{en}, over the {LevelEn(raw)} level {AlertMessages.PptEn(p.Threshold(raw))}: awaiting the next reading to confirm");
        }

        if (raw < level)
        {
            return reopening
                ? ($"{vi}, dưới mức mở lại {AlertMessages.Ppt(p.ReopenBelow)}: đang chờ đủ thời gian", $"{en}, under the reopening level {AlertMessages.PptEn(p.ReopenBelow)}: waiting out the hold")
                : ($"{vi}, chưa đủ thấp hoặc chưa đủ lâu để hạ mức {LevelVi(level)}", $"{en}, not yet low enough or long enough to lower the {LevelEn(level)}");
        }

        return level == AlertLevel.None
            ? ($"{vi}, dưới mức theo dõi {AlertMessages.Ppt(p.Watch)}", $"{en}, under the watch level {AlertMessages.PptEn(p.Watch)}")
            : ($"{vi}, từ mức {LevelVi(level)} {AlertMessages.Ppt(p.Threshold(level))}", $"{en}, at or over the {LevelEn(level)} level {AlertMessages.PptEn(p.Threshold(level))}");
    }

    private static string LevelVi(AlertLevel l) => l switch { AlertLevel.Danger => "nguy hiểm", AlertLevel.Warning => "cảnh báo", _ => "theo dõi" };

    private static string LevelEn(AlertLevel l) => l switch { AlertLevel.Danger => "danger", AlertLevel.Warning => "warning", _ => "watch" };
}

/// <summary>
/// What a crop's answer is made of, kept per station and crop: numbers only (the texts are written when asked), and
/// stored again only when one of them changes (the last value is kept once per station), so that every crop of every
/// station costs tens of bytes and a reading allocates nothing for the crops whose level did not move.
/// </summary>
/// <param name="Hold">The hold, s, from the level now down past warning (the reopening rule's).</param>
public readonly record struct VerdictState(AlertLevel Level, long? GoodSince, long Hold, long? Since)
{
    public static VerdictState Of(LevelTracker tracker, long? since) =>
        new(tracker.Current, tracker.GoodSideSince, tracker.HoldTo(AlertLevel.Watch), since);
}
