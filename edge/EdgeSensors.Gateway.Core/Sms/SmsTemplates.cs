using System.Globalization;
using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Gateway.Sms;

/// <summary>
/// Every text the gateway sends, Vietnamese first (farmers), with English only where it fits in the same segments.
/// Written with diacritics; in GSM 7-bit mode they go out unaccented (<see cref="SmsEncoding.Unaccent"/>), which
/// every basic phone shows and fits 160 characters in a segment instead of 70. Each template's segment count is tested
/// with the longest station names and values (SmsTemplateTests); the budgets are in docs/sms.md.
/// </summary>
public sealed class SmsTemplates(SmsAlphabet alphabet)
{
    private static readonly CultureInfo Vi = CultureInfo.InvariantCulture;

    public SmsAlphabet Alphabet => alphabet;

    /// <summary>The text as it goes out in the chosen alphabet.</summary>
    public string Render(string vietnamese) => alphabet == SmsAlphabet.Gsm7 ? SmsEncoding.Unaccent(vietnamese) : vietnamese;

    public int Segments(string rendered) => SmsEncoding.Segments(rendered, alphabet);

    private static string Ppt(double v) => v.ToString("0.0", Vi).Replace('.', ',');

    // Place names are free text up to 200 characters; in a text they are cut to 30 so the segment budgets hold.
    private static string Place(string node, string? place) => string.IsNullOrWhiteSpace(place) ? node : $"{(place.Length > 30 ? place[..30].TrimEnd() : place)} ({node})";

    /// <summary>Salinity reached the crop's warning or danger level: do not take water.</summary>
    public string Raised(string node, string? place, CropProfile crop, AlertLevel level, double value, DateTimeOffset localTime) => Render(level == AlertLevel.Danger
        ? $"NGUY HIỂM mặn {Ppt(value)}‰ tại {Place(node, place)} lúc {localTime:HH:mm}. Ngưng lấy nước vào {crop.WaterVi}, đóng cống (ngưỡng {Ppt(crop.Danger)}‰)."
        : $"CẢNH BÁO mặn {Ppt(value)}‰ tại {Place(node, place)} lúc {localTime:HH:mm}. Không lấy nước vào {crop.WaterVi} (ngưỡng {Ppt(crop.Warning)}‰).");

    /// <summary>A predicted crossing (issue 31): salt expected at the crop's warning level at a clock time.</summary>
    public string Forecast(string node, string? place, CropProfile crop, DateTimeOffset expectedLocal, long minutesAhead) => Render(
        $"DỰ BÁO MẶN tại {Place(node, place)}: vượt {Ppt(crop.Warning)}‰ lúc {expectedLocal:HH:mm} (khoảng {minutesAhead} phút nữa). Chuẩn bị đóng cống, lấy nước trước giờ đó.");

    /// <summary>The all-clear: below the reopening level long enough.</summary>
    public string Cleared(string node, string? place, CropProfile crop, double value, DateTimeOffset localTime) => Render(
        $"HẾT MẶN tại {Place(node, place)}: {Ppt(value)}‰ lúc {localTime:HH:mm}, dưới {Ppt(crop.ReopenBelow)}‰ đã {crop.ReopenHoldMinutes} phút. Có thể lấy nước.");

    public string Subscribed(string node, string? place, CropProfile crop) => Render(
        $"Đã đăng ký tin mặn trạm {node} cho {crop.NameVi}. Nhắn MAN {node} để xem độ mặn, HUY {node} để hủy.");

    public string Cancelled(string? node, int count) => Render(count == 0
        ? "Số này chưa đăng ký trạm nào. Nhắn DK <trạm> <cây trồng> để đăng ký."
        : node == null ? $"Đã hủy {count} đăng ký. Nhắn DK <trạm> <cây trồng> để đăng ký lại." : $"Đã hủy nhận tin trạm {node}.");

    public string Status(string node, string? place, double? value, DateTimeOffset? at, CropProfile? crop)
    {
        if (value is not double v || at is not DateTimeOffset t)
        {
            return Render($"Trạm {Place(node, place)} chưa có số đo mới.");
        }

        string verdict = crop == null ? string.Empty
            : v >= crop.Warning ? $" KHÔNG lấy nước cho {crop.NameVi}."
            : v >= crop.Watch ? $" Theo dõi, gần ngưỡng {Ppt(crop.Warning)}‰."
            : " Có thể lấy nước.";
        return Render($"Mặn tại {Place(node, place)}: {Ppt(v)}‰ lúc {t:HH:mm dd/MM}.{verdict}");
    }

    public string Help() => Render("DK <trạm> <cây>: đăng ký (LUA, XOAI, BUOI, CAM, MIA, SAU-RIENG); MAN <trạm>: xem mặn; HUY <trạm>: hủy. Trạm: mã trên biển trạm hoặc tên nơi đặt: DK Vị Tân LUA");

    /// <summary>A place name that fits several stations: their codes and places, to send again with one of them.</summary>
    public string Choices(IReadOnlyList<(string Node, string? Place)> choices)
    {
        // As much as one segment holds: three codes with their places, else fewer places, else codes alone.
        string Text(int n, int placeChars) =>
            Render($"Có {choices.Count} trạm trùng tên: {string.Join("; ", choices.Take(n).Select(c => placeChars == 0 || string.IsNullOrWhiteSpace(c.Place) ? c.Node : $"{c.Node} {(c.Place.Length > placeChars ? c.Place[..placeChars].TrimEnd() : c.Place)}"))}{(choices.Count > n ? "; …" : string.Empty)}. Nhắn lại với mã trạm, vd DK {choices[0].Node} LUA.");
        foreach ((int n, int chars) in new[] { (3, 24), (3, 16), (3, 0), (2, 0), (1, 0) })
        {
            string t = Text(n, chars);
            if (Segments(t) == 1)
            {
                return t;
            }
        }

        return Text(1, 0);
    }

    /// <summary>The code for a subscribe or cancel asked by text: only the number's real holder sees it.</summary>
    public string ConfirmCode(string code, SmsCommandKind kind, string? node, CropProfile? crop) => Render(kind == SmsCommandKind.Subscribe
        ? $"Mã {code}: nhắn XN {code} để nhận tin mặn trạm {node} cho {crop?.NameVi}. Không phải bạn nhắn? Bỏ qua tin này."
        : $"Mã {code}: nhắn XN {code} để hủy tin mặn {(node == null ? "tất cả các trạm" : "trạm " + node)}. Không phải bạn nhắn? Bỏ qua tin này.");

    public string Problem(string problem) => Render(problem switch
    {
        // What the sender typed is never repeated back: the commune's SIM must not send a stranger's text (a link).
        "unknown_station" => "Không có trạm này. Nhắn mã trên biển trạm (vd hg-vithanh-001) hoặc tên nơi đặt trạm. Nhắn HD để xem hướng dẫn.",
        "wrong_code" => "Mã không đúng hoặc đã hết hạn. Nhắn lại DK hoặc HUY để nhận mã mới.",
        "missing_code" => "Thiếu mã. Ví dụ: XN 1234",
        "busy" => "Hệ thống đang bận, vui lòng nhắn lại sau ít phút.",
        "unknown_crop" => "Không rõ cây trồng. Dùng: LUA, LUA-GIEO, LUA-TRO, TOM-LUA, XOAI, BUOI, CAM, MIA, SAU-RIENG, CHUOI.",
        "missing_station" => "Thiếu tên trạm. Ví dụ: DK hg-vithanh-001 LUA",
        _ => "Không hiểu tin nhắn. Nhắn HD để xem hướng dẫn.",
    });

    /// <summary>The morning text: today's safe-intake windows for the crop.</summary>
    public string Morning(string node, string? place, CropProfile crop, IReadOnlyList<(DateTimeOffset From, DateTimeOffset To)> windows, string certaintyVi)
    {
        if (windows.Count == 0)
        {
            return Render($"Hôm nay {Place(node, place)}: dự báo KHÔNG có giờ lấy nước an toàn cho {crop.NameVi}.");
        }

        string list = string.Join(", ", windows.Take(3).Select(w => $"{w.From:HH:mm}-{w.To:HH:mm}"));
        return Render($"Giờ lấy nước an toàn hôm nay tại {Place(node, place)} cho {crop.NameVi}: {list} (độ tin cậy {certaintyVi}).");
    }
}
