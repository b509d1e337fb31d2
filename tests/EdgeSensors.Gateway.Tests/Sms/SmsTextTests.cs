using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Sms;

namespace EdgeSensors.Gateway.Tests.Sms;

/// <summary>Numbers, commands, and the segment count of every template in both alphabets (issue 18).</summary>
public sealed class SmsTextTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData("0912345678", "+84912345678")]
    [InlineData("0912 345 678", "+84912345678")]
    [InlineData("+84 912 345 678", "+84912345678")]
    [InlineData("(+84) 912-345-678", "+84912345678")]
    [InlineData("84912345678", "+84912345678")]
    [InlineData("0386.123.456", "+84386123456")]
    [InlineData("+84 70 123 4567", "+84701234567")]
    public void Vietnamese_mobile_numbers_are_stored_as_E164(string input, string e164) =>
        Assert.Equal(e164, PhoneNumbers.Normalize(input, out _));

    [Theory]
    [InlineData("02923 840 123", "mobile")] // a Cần Thơ landline: texts cannot go there
    [InlineData("091234567", "mobile")]
    [InlineData("+1 650 555 0100", "Vietnamese")]
    [InlineData("0912345678x", "not part of a phone number")]
    [InlineData("", "no number")]
    public void Other_numbers_are_refused_with_a_reason(string input, string reason)
    {
        Assert.Null(PhoneNumbers.Normalize(input, out string? error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_in_a_log_shows_only_its_ends() => Assert.Equal("+8491*****78", PhoneNumbers.Mask("+84912345678"));

    [Theory]
    [InlineData("DK hg-vt-01 LUA", SmsCommandKind.Subscribe, "hg-vt-01", "rice_tillering")]
    [InlineData("Đăng ký hg-vt-01 lúa", SmsCommandKind.Subscribe, "hg-vt-01", "rice_tillering")]
    [InlineData("dang ky HG-VT-01 xoài", SmsCommandKind.Subscribe, "hg-vt-01", "mango")]
    [InlineData("dk hg-vt-01", SmsCommandKind.Subscribe, "hg-vt-01", "rice_tillering")]
    [InlineData("dk hg-vt-01 tom-lua", SmsCommandKind.Subscribe, "hg-vt-01", "rice_shrimp")]
    [InlineData("HỦY", SmsCommandKind.Cancel, null, null)]
    [InlineData("huy hg-vt-01", SmsCommandKind.Cancel, "hg-vt-01", null)]
    [InlineData("Mặn hg-vt-01", SmsCommandKind.Status, "hg-vt-01", null)]
    [InlineData("xem hg-vt-01", SmsCommandKind.Status, "hg-vt-01", null)]
    [InlineData("DK Vi Tan LUA", SmsCommandKind.Subscribe, "vi tan", "rice_tillering")]
    [InlineData("Đăng ký Vị Tân, cống Xẻo Môn xoài", SmsCommandKind.Subscribe, "vi tan cong xeo mon", "mango")]
    [InlineData("dk Vị Tân", SmsCommandKind.Subscribe, "vi tan", "rice_tillering")]
    [InlineData("man Hỏa Lựu kênh 13", SmsCommandKind.Status, "hoa luu kenh 13", null)]
    [InlineData("hd", SmsCommandKind.Help, null, null)]
    [InlineData("xin chao", SmsCommandKind.Unknown, null, null)]
    public void Commands_are_read_without_case_or_accents(string text, SmsCommandKind kind, string? station, string? profile)
    {
        SmsCommand c = SmsCommand.Parse(text, CropProfiles.Defaults, "rice_tillering");
        Assert.Equal(kind, c.Kind);
        Assert.Equal(station, c.Station);
        Assert.Equal(profile, c.Profile);
    }

    [Fact]
    public void A_station_is_found_by_its_code_or_its_places_name_and_a_shared_name_gives_the_choices()
    {
        var nodes = new List<EdgeSensors.Gateway.Store.NodeRecord>
        {
            new("hg-place-01", null, null, "Vị Tân, cống Xẻo Môn", null, 0, null, 0),
            new("hg-place-02", null, null, "Hỏa Lựu, kênh 10", null, 0, null, 0),
            new("hg-place-03", null, null, "Hỏa Lựu, kênh 13", null, 0, null, 0),
            new("hg-place-04", null, null, null, null, 0, null, 0),
        };
        Assert.Equal("hg-place-04", SmsStations.Resolve("HG-PLACE-04", nodes).Node?.Id);
        Assert.Equal("hg-place-01", SmsStations.Resolve("vi tan", nodes).Node?.Id);
        Assert.Equal("hg-place-01", SmsStations.Resolve("xeo mon", nodes).Node?.Id);
        Assert.Equal("hg-place-03", SmsStations.Resolve("hoa luu kenh 13", nodes).Node?.Id);
        (var none, var choices) = SmsStations.Resolve("hoa luu", nodes);
        Assert.Null(none);
        Assert.Equal(["hg-place-02", "hg-place-03"], choices.Select(c => c.Id));
        Assert.Null(SmsStations.Resolve("kenh 1", nodes).Node); // whole words: "kênh 1" is neither 10 nor 13
        Assert.Empty(SmsStations.Resolve("kenh 1", nodes).Choices);
        Assert.Null(SmsStations.Resolve("tan", nodes).Node is { Id: "hg-place-01" } ? null : "x"); // a whole word of the place is enough

        var templates = new SmsTemplates(SmsAlphabet.Gsm7);
        string text = templates.Choices([("hg-vithanh-001", "Hỏa Lựu, kênh 10 (bờ bắc, gần trường)"), ("hg-vithanh-002", "Hỏa Lựu, kênh 13"), ("hg-vithanh-003", "Hỏa Lựu, kênh 14"), ("hg-vithanh-004", "Hỏa Lựu")]);
        Assert.Equal(1, templates.Segments(text));
        Assert.Contains("hg-vithanh-002", text, StringComparison.Ordinal);
        Assert.Equal(1, templates.Segments(templates.Help()));
    }

    [Fact]
    public void An_unknown_crop_is_a_problem_not_a_default() =>
        Assert.Equal("unknown_crop", SmsCommand.Parse("DK hg-vt-01 caphe", CropProfiles.Defaults, "rice_tillering").Problem);

    [Fact]
    public void Unaccented_text_is_pure_GSM_7_bit()
    {
        string s = SmsEncoding.Unaccent("Mặn 4,2‰ tại Vị Thanh: ĐỪNG lấy nước – có thể lấy nước “sau”");
        Assert.Equal("Man 4,2 g/l tai Vi Thanh: DUNG lay nuoc - co the lay nuoc \"sau\"", s);
        Assert.True(SmsEncoding.IsGsm7(s));
    }

    [Theory]
    [InlineData(160, SmsAlphabet.Gsm7, 1)]
    [InlineData(161, SmsAlphabet.Gsm7, 2)]
    [InlineData(306, SmsAlphabet.Gsm7, 2)]
    [InlineData(307, SmsAlphabet.Gsm7, 3)]
    [InlineData(70, SmsAlphabet.Ucs2, 1)]
    [InlineData(71, SmsAlphabet.Ucs2, 2)]
    [InlineData(134, SmsAlphabet.Ucs2, 2)]
    [InlineData(135, SmsAlphabet.Ucs2, 3)]
    public void Segments_follow_3GPP_TS_23_040(int length, SmsAlphabet alphabet, int segments) =>
        Assert.Equal(segments, SmsEncoding.Segments(new string('a', length), alphabet));

    [Fact]
    public void Extension_characters_take_two_septets() => Assert.Equal(2, SmsEncoding.Segments(new string('€', 81), SmsAlphabet.Gsm7));

    /// <summary>
    /// The budgets of docs/sms.md: with a typical station (a 14-character id, a place of up to 15) every alert text
    /// is one GSM segment; with the longest ids and places (32 and 30 characters) at most two; in UCS-2 three, and four
    /// with the longest.
    /// </summary>
    [Theory]
    [InlineData(SmsAlphabet.Gsm7, "hg-vithanh-001", "Vị Thanh", 1)]
    [InlineData(SmsAlphabet.Gsm7, "hg-vithanh-kenh-xang-xa-no-00012", "Kênh Xáng Xà No, cống số 3 ấp", 2)]
    [InlineData(SmsAlphabet.Ucs2, "hg-vithanh-001", "Vị Thanh", 3)]
    [InlineData(SmsAlphabet.Ucs2, "hg-vithanh-kenh-xang-xa-no-00012", "Kênh Xáng Xà No, cống số 3 ấp", 4)]
    public void Every_template_fits_its_segment_budget(SmsAlphabet alphabet, string node, string place, int budget)
    {
        var t = new SmsTemplates(alphabet);
        var at = new DateTimeOffset(2026, 3, 14, 14, 30, 0, TimeSpan.FromHours(7));
        foreach (CropProfile crop in CropProfiles.Defaults)
        {
            var texts = new Dictionary<string, string>
            {
                ["raised-warning"] = t.Raised(node, place, crop, AlertLevel.Warning, 12.3, at),
                ["raised-danger"] = t.Raised(node, place, crop, AlertLevel.Danger, 12.3, at),
                ["cleared"] = t.Cleared(node, place, crop, 0.4, at),
                ["status"] = t.Status(node, place, 12.3, at, crop),
                ["subscribed"] = t.Subscribed(node, place, crop),
                ["morning"] = t.Morning(node, place, crop, [(at, at.AddHours(2)), (at.AddHours(12), at.AddHours(14)), (at.AddHours(20), at.AddHours(21))], "trung bình"),
            };
            foreach ((string name, string text) in texts)
            {
                int segments = t.Segments(text);
                if (crop.Id == "rice_shrimp")
                {
                    output.WriteLine($"{alphabet} {name} ({text.Length} chars, {segments} segments): {text}");
                }

                Assert.True(segments <= budget, $"{alphabet} {name} for {crop.Id}: {segments} segments > {budget}: {text}");
                Assert.True(alphabet == SmsAlphabet.Ucs2 || SmsEncoding.IsGsm7(text), text);
            }
        }

        foreach (string text in new[] { t.Help(), t.Cancelled(null, 2), t.Cancelled(node, 1), t.Cancelled(null, 0), t.Problem("unknown_crop"), t.Problem("unknown_station"), t.ConfirmCode("1234", SmsCommandKind.Subscribe, node, CropProfiles.Defaults[0]), t.ConfirmCode("1234", SmsCommandKind.Cancel, null, null), t.Problem("wrong_code") })
        {
            Assert.True(t.Segments(text) <= Math.Max(budget, alphabet == SmsAlphabet.Gsm7 ? 1 : 3), text);
        }
    }
}
