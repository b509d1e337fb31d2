using System.Globalization;

namespace EdgeSensors.Gateway.Alerts;

/// <summary>What an alert says to a farmer: Vietnamese first, English second, numbers as Vietnamese write them (2,4‰).</summary>
public static class AlertMessages
{
    /// <summary>Vietnamese number: decimal comma (written by hand: the gateway runs with invariant globalization).</summary>
    public static string ViNumber(double v, string format) => v.ToString(format, CultureInfo.InvariantCulture).Replace('.', ',');

    public static string Ppt(double v) => ViNumber(v, "0.0#") + "‰";

    public static string PptEn(double v) => v.ToString("0.0#", CultureInfo.InvariantCulture) + "‰";

    /// <summary>Clock time in Vietnam (UTC+7, no daylight saving) of a unix time: "14:20".</summary>
    public static string LocalClock(long unix) => DateTimeOffset.FromUnixTimeSeconds(unix).ToOffset(TimeSpan.FromHours(7)).ToString("HH:mm", CultureInfo.InvariantCulture);

    /// <summary>"45 phút" / "2 giờ 15 phút", and in English.</summary>
    public static (string Vi, string En) Span(long seconds)
    {
        long minutes = Math.Max(5, (long)Math.Round(seconds / 300.0) * 5);
        if (minutes < 60)
        {
            return ($"{minutes} phút", $"{minutes} min");
        }

        long h = minutes / 60, m = minutes % 60;
        return m == 0 ? ($"{h} giờ", $"{h} h") : ($"{h} giờ {m} phút", $"{h} h {m} min");
    }

    public static (string Vi, string En) For(AlertTransition t, CropProfile? profile, Func<string, string?>? placeOf = null)
    {
        AlertLevel level = t.To == AlertLevel.None ? t.From : t.To;
        bool cleared = t.To == AlertLevel.None;
        switch (t.Kind)
        {
            case AlertKind.Salinity when t.From >= AlertLevel.Warning && t.To < AlertLevel.Warning && profile != null:
                // The "falling below" rule: the water has stayed under the reopening level for the profile's hold.
                string held = profile.ReopenHoldMinutes >= 120 ? ViNumber(profile.ReopenHoldMinutes / 60.0, "0.#") + " giờ" : profile.ReopenHoldMinutes + " phút";
                string heldEn = profile.ReopenHoldMinutes >= 120 ? (profile.ReopenHoldMinutes / 60.0).ToString("0.#", CultureInfo.InvariantCulture) + " h" : profile.ReopenHoldMinutes + " min";
                string still = t.To == AlertLevel.Watch ? ", vẫn theo dõi" : string.Empty, stillEn = t.To == AlertLevel.Watch ? "; keep watching" : string.Empty;
                return ($"Nước đã ngọt lại: {Ppt(t.Value)}, dưới {Ppt(profile.ReopenBelow)} suốt {held}, {profile.ReopenVi}{still}",
                    $"Fresh again: {PptEn(t.Value)}, below {PptEn(profile.ReopenBelow)} for {heldEn}: {profile.ReopenEn}{stillEn}");
            case AlertKind.Salinity when cleared:
                return ($"Độ mặn đã giảm còn {Ppt(t.Value)}, hết cảnh báo", $"Salinity back down to {PptEn(t.Value)}: alert cleared");
            case AlertKind.Salinity:
                string waterVi = profile?.WaterVi ?? "ruộng", waterEn = profile?.WaterEn ?? "fields";
                return level switch
                {
                    AlertLevel.Danger => ($"NGUY HIỂM: nước mặn {Ppt(t.Value)}, đóng cống, không lấy nước vào {waterVi}", $"DANGER: salinity {PptEn(t.Value)}: close the sluice gates, no water into {waterEn}"),
                    AlertLevel.Warning => ($"Nước mặn {Ppt(t.Value)}, không lấy nước vào {waterVi}", $"Salinity {PptEn(t.Value)}: do not let water into {waterEn}"),
                    _ => ($"Nước hơi mặn {Ppt(t.Value)}, theo dõi và hạn chế lấy nước", $"Salinity {PptEn(t.Value)}: watch closely and limit intake"),
                };
            case AlertKind.SalinityForecast when cleared:
                return t.Detail == "arrived"
                    ? ("Mặn đã tới như dự báo: xem cảnh báo độ mặn", "The forecast salt has arrived: see the salinity alert")
                    : ("Dự báo mặn đã hạ: không còn dự kiến vượt ngưỡng trong vài giờ tới", "Salinity forecast eased: no crossing expected in the next hours");
            case AlertKind.SalinityForecast:
            {
                bool danger = profile != null && Math.Abs(t.Threshold - profile.Danger) < 1e-9;
                (string inVi, string inEn) = Span((long)t.Value - t.Ts);
                string chance = ProbabilityOf(t.Detail);
                string chanceVi = chance.Length > 0 ? $", khả năng {chance}" : string.Empty, chanceEn = chance.Length > 0 ? $", {chance} likely" : string.Empty;
                return ($"Độ mặn dự kiến vượt ngưỡng {(danger ? "nguy hiểm" : "cảnh báo")} {Ppt(t.Threshold)} lúc {LocalClock((long)t.Value)} (khoảng {inVi} nữa){chanceVi}: chuẩn bị đóng cống, lấy nước trước giờ đó nếu cần",
                    $"Salinity expected to pass the {(danger ? "danger" : "warning")} level {PptEn(t.Threshold)} at {LocalClock((long)t.Value)} (in about {inEn}){chanceEn}: get ready to close the sluice");
            }

            case AlertKind.SalinityUpstream when cleared:
                return t.Detail == "arrived"
                    ? ("Mặn từ hạ lưu đã tới đây: xem cảnh báo độ mặn", "The salt from downstream has arrived: see the salinity alert")
                    : ("Mặn ở hạ lưu đã giảm: hết báo trước", "Salinity downstream has eased: upstream warning cleared");
            case AlertKind.SalinityUpstream:
            {
                string[] parts = (t.Detail ?? string.Empty).Split('|');
                string from = parts[0];
                string place = placeOf?.Invoke(from) is { Length: > 0 } p ? p : from;
                long travel = parts.Length > 1 && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double hours) ? (long)(hours * 3600) : 0;
                (string lagVi, string lagEn) = Span(travel);
                return ($"Mặn đang lên từ hạ lưu ({place}, trước đây khoảng {lagVi}): dự kiến vượt {Ppt(t.Threshold)} tại đây lúc {LocalClock((long)t.Value)}, chuẩn bị đóng cống",
                    $"Salt is coming up from downstream ({place}, about {lagEn} ahead of here): expected to pass {PptEn(t.Threshold)} here at {LocalClock((long)t.Value)}; get ready to close the sluice");
            }

            case AlertKind.SalinityRising:
                return cleared
                    ? ("Độ mặn đã ngừng tăng nhanh", "Salinity no longer rising fast")
                    : ($"Độ mặn đang tăng nhanh ({ViNumber(t.Value, "0.0#")}‰/giờ), chuẩn bị đóng cống", $"Salinity rising fast ({t.Value.ToString("0.0#", CultureInfo.InvariantCulture)}‰/h): get ready to close the gates");
            case AlertKind.LevelHigh:
                return cleared
                    ? ("Mực nước đã xuống dưới mức ngập", "Water level back below the flood mark")
                    : ($"Mực nước cao {ViNumber(t.Value, "0.00")} m, nguy cơ ngập", $"High water {t.Value.ToString("0.00", CultureInfo.InvariantCulture)} m: flooding risk");
            case AlertKind.LevelLow:
                return cleared
                    ? ("Mực nước đã lên lại", "Water level back up")
                    : ($"Mực nước thấp {ViNumber(t.Value, "0.00")} m, khó bơm nước", $"Low water {t.Value.ToString("0.00", CultureInfo.InvariantCulture)} m: pumping may fail");
            case AlertKind.EnclosureTemperature:
                string c = ViNumber(t.Value, "0.#") + " °C", cEn = t.Value.ToString("0.#", CultureInfo.InvariantCulture) + " °C";
                return cleared
                    ? ($"Tủ thiết bị đã mát lại ({c})", $"The equipment box has cooled down ({cEn})")
                    : level switch
                    {
                        AlertLevel.Danger => ($"Tủ thiết bị quá nóng {c}: pin và máy có thể hỏng, che nắng và mở thông gió ngay", $"Equipment box at {cEn}: batteries and computer at risk, shade and ventilate it now"),
                        AlertLevel.Warning => ($"Tủ thiết bị nóng {c}: pin dự phòng ngừng sạc, che nắng và thông gió cho tủ", $"Equipment box at {cEn}: the backup battery stops charging, shade and ventilate the box"),
                        _ => ($"Tủ thiết bị ấm {c}, theo dõi", $"Equipment box warm at {cEn}: keep an eye on it"),
                    };
            case AlertKind.PowerCut:
                return cleared
                    ? ("Trạm đã có điện lưới trở lại", "Mains power is back at the gateway")
                    : ("Mất điện lưới tại trạm: cảnh báo vẫn chạy bằng pin dự phòng, cần có điện lại trong vài giờ", "Mains power lost at the gateway: alerts run on the backup battery, restore power within hours");
            case AlertKind.Stale:
                return cleared
                    ? ("Trạm đo đã gửi số liệu trở lại", "The station is reporting again")
                    : ("Trạm đo không gửi số liệu, cần kiểm tra", "The station has gone quiet: check it");
            default:
                return cleared
                    ? ("Cảm biến đã hoạt động bình thường", "Sensors are working again")
                    : ($"Cảm biến bị lỗi ({t.Detail}), cần kỹ thuật viên kiểm tra", $"Sensor fault ({t.Detail}): a technician should check the node");
        }
    }

    private static string ProbabilityOf(string? detail)
    {
        int i = detail?.IndexOf("p=", StringComparison.Ordinal) ?? -1;
        return i >= 0 && double.TryParse(detail![(i + 2)..], NumberStyles.Float, CultureInfo.InvariantCulture, out double p)
            ? Math.Round(p * 100).ToString("0", CultureInfo.InvariantCulture) + " %"
            : string.Empty;
    }
}
