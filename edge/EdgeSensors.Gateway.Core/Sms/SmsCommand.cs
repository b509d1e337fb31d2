using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Gateway.Sms;

/// <summary>What a farmer's text asks for.</summary>
public enum SmsCommandKind
{
    Subscribe,
    Cancel,
    Status,
    Help,

    /// <summary>XN &lt;code&gt;: confirms the subscribe or cancel the code was sent for.</summary>
    Confirm,
    Unknown,
}

/// <summary>
/// A text to the gateway's number, parsed (docs/sms.md). Keywords are matched without case or accents, so
/// "Đăng ký VT01 lúa", "dang ky vt01 lua" and "DK VT01 LUA" are the same:
/// - DK | DANG KY &lt;station&gt; [crop] — subscribe (crop: LUA, LUA-GIEO, LUA-TRO, TOM-LUA, SAU-RIENG, BUOI, CAM, MIA, XOAI, CHUOI, or a profile id);
///   the station is its code from the plate (hg-vithanh-001) or the place's name ("DK Vi Tan LUA");
/// - HUY [&lt;station&gt;] — cancel one station, or all;
/// - MAN | XEM &lt;station&gt; — the salinity there now;
/// - XN | XAC NHAN &lt;code&gt; — confirms a subscribe or cancel with the code the gateway texted back;
/// - HD | HELP | ? — how to use it.
/// </summary>
public sealed record SmsCommand(SmsCommandKind Kind, string? Station, string? Profile, string? Problem, string? Code = null)
{
    /// <summary>Friendly crop words → crop profile ids (docs/alerts.md).</summary>
    public static IReadOnlyDictionary<string, string> CropWords { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["LUA"] = "rice_tillering",
        ["LUA-GIEO"] = "rice_sowing",
        ["LUA-TRO"] = "rice_flowering",
        ["TOM-LUA"] = "rice_shrimp",
        ["SAU-RIENG"] = "durian",
        ["SAURIENG"] = "durian",
        ["BUOI"] = "pomelo",
        ["CAM"] = "citrus",
        ["MIA"] = "sugarcane",
        ["XOAI"] = "mango",
        ["CHUOI"] = "fruit",
        ["NHAN"] = "fruit",
    };

    public static SmsCommand Parse(string text, IEnumerable<CropProfile> profiles, string defaultProfile)
    {
        string[] words = SmsEncoding.Fold(text).Split([' ', '\t', '\n', '\r', ',', ';'], StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return new(SmsCommandKind.Help, null, null, null);
        }

        int args = 1;
        string keyword = words[0];
        if (keyword == "DANG" && words.Length > 1 && words[1] == "KY")
        {
            keyword = "DK";
            args = 2;
        }
        else if (keyword == "XAC" && words.Length > 1 && words[1] == "NHAN")
        {
            keyword = "XN";
            args = 2;
        }

        // The station is a code (hg-vithanh-001) or a place name of any number of words ("Vị Tân", "Cống Xẻo Môn");
        // for DK a last word that names a crop is the crop. Resolved against the registry by SmsStations.
        string[] rest = words[Math.Min(args, words.Length)..];
        string? station = rest.Length > 0 ? string.Join(' ', rest).ToLowerInvariant() : null;
        switch (keyword)
        {
            case "DK":
                if (station == null)
                {
                    return new(SmsCommandKind.Subscribe, null, null, "missing_station");
                }

                string? Crop(string word) => CropWords.TryGetValue(word, out string? id) ? id
                    : profiles.FirstOrDefault(p => string.Equals(p.Id, word, StringComparison.OrdinalIgnoreCase))?.Id;
                if (rest.Length == 1)
                {
                    return new(SmsCommandKind.Subscribe, station, defaultProfile, null);
                }

                if (Crop(rest[^1]) is string named)
                {
                    return new(SmsCommandKind.Subscribe, string.Join(' ', rest[..^1]).ToLowerInvariant(), named, null);
                }

                // "DK hg-vt-01 caphe": a code and a second word that is no crop — the crop is what is wrong.
                return SmsStations.LooksLikeCode(rest[0]) && rest.Length == 2
                    ? new(SmsCommandKind.Subscribe, rest[0].ToLowerInvariant(), null, "unknown_crop")
                    : new(SmsCommandKind.Subscribe, station, defaultProfile, null);
            case "HUY":
                return new(SmsCommandKind.Cancel, station, null, null);
            case "MAN":
            case "XEM":
                return station == null ? new(SmsCommandKind.Status, null, null, "missing_station") : new(SmsCommandKind.Status, station, null, null);
            case "XN":
                // The code is the argument, kept as typed (digits only).
                string? code = words.Length > args && words[args].All(char.IsAsciiDigit) && words[args].Length <= 8 ? words[args] : null;
                return new(SmsCommandKind.Confirm, null, null, code == null ? "missing_code" : null, code);
            case "HD":
            case "HELP":
            case "?":
                return new(SmsCommandKind.Help, null, null, null);
            default:
                return new(SmsCommandKind.Unknown, null, null, "unknown_keyword");
        }
    }
}
