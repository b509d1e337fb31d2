using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Sms;

/// <summary>
/// Texts to farmers through a real gammu-smsd with Gammu's dummy phone (issue 18): an emulated node crossing a
/// crop's threshold makes a text for each subscriber of that station and crop, the all-clear follows; texts to the
/// gateway subscribe, answer and cancel; the daily limit and quiet hours hold; a stopped daemon makes texts wait,
/// counted, and they go out when it returns.
/// </summary>
public sealed class SmsGammuTests(ITestOutputHelper output)
{
    private const string Farmer = "+84912000001";
    private const string Orchard = "+84912000002";
    private const string Elsewhere = "+84912000003";

    private static Dictionary<string, string> Settings(GammuSmsdServer smsd, IDictionary<string, string>? extra = null)
    {
        var s = new Dictionary<string, string>
        {
            ["Sms:Enabled"] = "true",
            ["Sms:SmsdConfigPath"] = smsd.Config,
            ["Sms:PollMs"] = "200",
            ["Sms:QuietFromHour"] = "0",
            ["Sms:QuietUntilHour"] = "0",
            ["Sms:MorningHour"] = "-1",
            // A rice profile whose all-clear needs no hour of fresh water, so the test sees it.
            ["Alerts:Profiles:0:Id"] = "rice_test",
            ["Alerts:Profiles:0:NameVi"] = "Lúa (thử)",
            ["Alerts:Profiles:0:NameEn"] = "Rice (test)",
            ["Alerts:Profiles:0:WaterVi"] = "ruộng lúa",
            ["Alerts:Profiles:0:Watch"] = "0.6",
            ["Alerts:Profiles:0:Warning"] = "1.0",
            ["Alerts:Profiles:0:Danger"] = "2.0",
            ["Alerts:Profiles:0:ReopenHoldMinutes"] = "0",
            ["Alerts:MinConsecutiveReadings"] = "2",
        };
        foreach (var kv in extra ?? new Dictionary<string, string>())
        {
            s[kv.Key] = kv.Value;
        }

        return s;
    }

    private static async Task SubscribeAsync(GatewayProcess gateway, string phone, string node, string profile)
    {
        HttpResponseMessage r = await gateway.Http.PostAsJsonAsync("/api/sms/subscribers", new { phone, node, profile });
        Assert.True(r.IsSuccessStatusCode, await r.Content.ReadAsStringAsync());
    }

    private static async Task PublishAsync(TestNode node, params double[] salinities)
    {
        foreach (double s in salinities)
        {
            Assert.True((await node.PublishAsync(node.NextSample(s))).IsSuccess);
        }
    }

    [GammuFact]
    public async Task Subscribers_of_a_station_and_crop_get_the_warning_and_the_all_clear_and_texts_subscribe_answer_and_cancel()
    {
        await using var smsd = new GammuSmsdServer();
        await smsd.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd));
        await gateway.StartAsync();
        await using var n1 = new TestNode("hg-sms-01", await gateway.RegisterNodeAsync("hg-sms-01"));
        await using var n2 = new TestNode("hg-sms-02", await gateway.RegisterNodeAsync("hg-sms-02"));
        Assert.True((await n1.ConnectAsync(gateway.MqttPort)).Ok);
        Assert.True((await n2.ConnectAsync(gateway.MqttPort)).Ok);
        await SubscribeAsync(gateway, "0912 000 001", "hg-sms-01", "rice_test");
        await SubscribeAsync(gateway, Orchard, "hg-sms-01", "mango");      // mango's warning is 4 ‰: not reached
        await SubscribeAsync(gateway, Elsewhere, "hg-sms-02", "rice_test"); // another station

        await PublishAsync(n1, 0.3, 1.4, 1.5, 1.5);
        await PublishAsync(n2, 0.3, 0.3);
        await WaitAsync(() => smsd.Sent().Any(t => t.Number == Farmer), TimeSpan.FromSeconds(30), "the warning in the dummy phone's sent folder", smsd);
        var warning = smsd.Sent().Single(t => t.Number == Farmer);
        output.WriteLine($"warning: {warning.Text} ({warning.Parts} part)");
        Assert.StartsWith("CANH BAO man 1,", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Vi Thanh (hg-sms-01)", warning.Text, StringComparison.Ordinal);
        Assert.Contains("Khong lay nuoc vao ruong lua", warning.Text, StringComparison.Ordinal);

        await PublishAsync(n1, 0.3, 0.2, 0.2);
        try
        {
            await WaitAsync(() => smsd.Sent().Count(t => t.Number == Farmer) == 2, TimeSpan.FromSeconds(30), "the all-clear", smsd);
        }
        catch (TimeoutException)
        {
            output.WriteLine(string.Join("\n", (await TextsAsync(gateway)).Select(t => t.ToString())));
            output.WriteLine(string.Join("\n", gateway.Output.Split('\n').Where(l => l.Contains("SMS", StringComparison.Ordinal))));
            throw;
        }
        string clear = smsd.Sent().Where(t => t.Number == Farmer).Select(t => t.Text).Single(t => t.StartsWith("HET MAN", StringComparison.Ordinal));
        output.WriteLine($"all-clear: {clear}");
        Assert.Contains("Co the lay nuoc", clear, StringComparison.Ordinal);
        Assert.DoesNotContain(smsd.Sent(), t => t.Number is Orchard or Elsewhere);

        // Texts to the gateway's number: subscribe (accents and case as a farmer types) with the code texted back,
        // ask, cancel with its code.
        const string newcomer = "+84386123456";
        smsd.Deliver(newcomer, "Đăng ký HG-SMS-01 lúa");
        await WaitAsync(() => smsd.Sent().Any(t => t.Number == newcomer), TimeSpan.FromSeconds(30), "the code for the subscription", smsd);
        string code = CodeIn(smsd.Sent().Single(t => t.Number == newcomer).Text);
        Assert.DoesNotContain((await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-sms-01")).EnumerateArray(), s => s.GetProperty("phone").GetString() == newcomer);
        smsd.Deliver(newcomer, "xn " + code);
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == newcomer) == 2, TimeSpan.FromSeconds(30), "the subscription's confirmation", smsd);
        Assert.StartsWith("Da dang ky tin man tram hg-sms-01 cho Lua", smsd.Sent().Where(t => t.Number == newcomer).ElementAt(1).Text, StringComparison.Ordinal);
        JsonElement subs = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-sms-01");
        JsonElement sub = subs.EnumerateArray().Single(s => s.GetProperty("phone").GetString() == newcomer);
        Assert.Equal("rice_tillering", sub.GetProperty("profile").GetString());
        Assert.Equal("sms", sub.GetProperty("source").GetString());
        Assert.True(sub.GetProperty("consent_at").GetInt64() > 0);

        smsd.Deliver(newcomer, "man hg-sms-01");
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == newcomer) == 3, TimeSpan.FromSeconds(30), "the answer to MAN", smsd);
        string status = smsd.Sent().Where(t => t.Number == newcomer).Select(t => t.Text).Single(t => t.StartsWith("Man tai", StringComparison.Ordinal));
        output.WriteLine($"status: {status}");
        Assert.Contains("0,2 g/l", status, StringComparison.Ordinal);
        Assert.Contains("Co the lay nuoc", status, StringComparison.Ordinal);

        smsd.Deliver(newcomer, "HỦY");
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == newcomer) == 4, TimeSpan.FromSeconds(30), "the code for HUY", smsd);
        smsd.Deliver(newcomer, "XN " + CodeIn(smsd.Sent().Where(t => t.Number == newcomer).ElementAt(3).Text));
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == newcomer) == 5, TimeSpan.FromSeconds(30), "the answer to XN", smsd);
        subs = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-sms-01");
        Assert.DoesNotContain(subs.EnumerateArray(), s => s.GetProperty("phone").GetString() == newcomer);

        // Counted in /metrics; and no whole number in the log.
        // The gateway sees a text sent when it next looks at gammu-smsd's sent folder.
        await WaitAsync(async () => await gateway.MetricAsync("edgesensors_sms_texts_total", "state=\"sent\"") == 7, TimeSpan.FromSeconds(20), "seven texts counted sent");
        Assert.Equal(1, await gateway.MetricAsync("edgesensors_sms_received_total", "command=\"subscribe\""));
        foreach (string number in new[] { Farmer, newcomer, "0912000001", "912000001" })
        {
            Assert.DoesNotContain(number, gateway.Output, StringComparison.Ordinal);
        }

        JsonElement texts = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/texts?node=hg-sms-01");
        Assert.All(texts.EnumerateArray(), t => Assert.Contains("*****", t.GetProperty("phone").GetString(), StringComparison.Ordinal));
    }

    [GammuFact]
    public async Task A_farmer_subscribes_by_the_places_name_is_offered_the_choices_when_two_share_it_and_HD_says_what_a_station_is()
    {
        await using var smsd = new GammuSmsdServer();
        await smsd.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd));
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-place-01", place: "Vị Tân, cống Xẻo Môn");
        await gateway.RegisterNodeAsync("hg-place-02", place: "Hỏa Lựu, kênh 10");
        await gateway.RegisterNodeAsync("hg-place-03", place: "Hỏa Lựu, kênh 13");
        const string farmer = "+84912345670";

        // Issue 30: "DK Vi Tan LUA" was answered "crop unclear" — the place is now read as a place.
        smsd.Deliver(farmer, "DK Vi Tan LUA");
        await WaitAsync(() => smsd.Sent().Any(t => t.Number == farmer), TimeSpan.FromSeconds(30), "the code for a subscription by place", smsd);
        string first = smsd.Sent().Single(t => t.Number == farmer).Text;
        output.WriteLine(first);
        Assert.Contains("hg-place-01", first, StringComparison.Ordinal);
        smsd.Deliver(farmer, "XN " + CodeIn(first));
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == farmer) == 2, TimeSpan.FromSeconds(30), "the confirmation", smsd);
        JsonElement subs = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-place-01");
        Assert.Equal("rice_tillering", subs.EnumerateArray().Single(x => x.GetProperty("phone").GetString() == farmer).GetProperty("profile").GetString());

        // Two stations at Hỏa Lựu: the answer lists both codes and changes nothing.
        smsd.Deliver(farmer, "dang ky hoa luu xoai");
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == farmer) == 3, TimeSpan.FromSeconds(30), "the choices", smsd);
        var choices = smsd.Sent().Where(t => t.Number == farmer).ElementAt(2);
        output.WriteLine($"{choices.Text} ({choices.Parts} part)");
        Assert.Contains("hg-place-02", choices.Text, StringComparison.Ordinal);
        Assert.Contains("hg-place-03", choices.Text, StringComparison.Ordinal);
        Assert.Equal(1, choices.Parts);
        Assert.Empty((await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-place-02")).EnumerateArray());

        // A whole place name picks one of them; HD explains what a station is.
        smsd.Deliver(farmer, "MAN Hoa Luu kenh 13");
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == farmer) == 4, TimeSpan.FromSeconds(30), "the answer to MAN by place", smsd);
        Assert.Contains("hg-place-03", smsd.Sent().Where(t => t.Number == farmer).ElementAt(3).Text, StringComparison.Ordinal);
        smsd.Deliver(farmer, "HD");
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == farmer) == 5, TimeSpan.FromSeconds(30), "the help", smsd);
        var help = smsd.Sent().Where(t => t.Number == farmer).ElementAt(4);
        output.WriteLine($"{help.Text} ({help.Parts} part)");
        Assert.Contains("ma tren bien tram", help.Text, StringComparison.Ordinal);
        Assert.Contains("ten noi dat", help.Text, StringComparison.Ordinal);
        Assert.Equal(1, help.Parts);
    }

    [GammuFact]
    public async Task A_salt_forecast_is_texted_once_with_the_expected_time_before_the_warning_level_is_reached()
    {
        await using var smsd = new GammuSmsdServer();
        await smsd.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd));
        await gateway.StartAsync();
        await using var n1 = new TestNode("hg-sms-01", await gateway.RegisterNodeAsync("hg-sms-01"));
        Assert.True((await n1.ConnectAsync(gateway.MqttPort)).Ok);
        await SubscribeAsync(gateway, "0912 000 001", "hg-sms-01", "rice_test");

        // The last hour rose from 0.2 to 0.6 ‰: rice's 1.0 ‰ is about 25 minutes away at that pace.
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True((await n1.PublishAsync(n1.SampleAt(0.2, now - 3000), n1.SampleAt(0.33, now - 2100), n1.SampleAt(0.46, now - 1200), n1.SampleAt(0.6, now - 300))).IsSuccess);
        await WaitAsync(() => smsd.Sent().Any(t => t.Number == Farmer), TimeSpan.FromSeconds(30), "the forecast text", smsd);
        var forecast = smsd.Sent().Single(t => t.Number == Farmer);
        output.WriteLine($"forecast: {forecast.Text} ({forecast.Parts} part)");
        Assert.StartsWith("DU BAO MAN tai Vi Thanh (hg-sms-01): vuot 1,0", forecast.Text, StringComparison.Ordinal);
        Assert.Matches(@"luc \d\d:\d\d \(khoang \d+ phut nua\)", forecast.Text);
        Assert.Contains("Chuan bi dong cong", forecast.Text, StringComparison.Ordinal);
        Assert.Equal(1, forecast.Parts);

        // Still forecast at the next reading: not texted again; the warning itself still goes out when it comes.
        Assert.True((await n1.PublishAsync(n1.SampleAt(0.7, now - 60))).IsSuccess);
        Assert.True((await n1.PublishAsync(n1.NextSample(1.2), n1.NextSample(1.3))).IsSuccess);
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == Farmer) == 2, TimeSpan.FromSeconds(30), "the warning after the forecast", smsd);
        Assert.Single(smsd.Sent().Where(t => t.Number == Farmer), t => t.Text.StartsWith("DU BAO MAN", StringComparison.Ordinal));
        Assert.Single(smsd.Sent().Where(t => t.Number == Farmer), t => t.Text.StartsWith("CANH BAO man", StringComparison.Ordinal));
    }

    [GammuFact]
    public async Task The_daily_limit_and_quiet_hours_hold_and_danger_still_goes_out_at_night()
    {
        await using var smsd = new GammuSmsdServer();
        await smsd.StartAsync();
        int hour = DateTimeOffset.UtcNow.AddHours(7).Hour; // Việt Nam: UTC+7, no daylight saving
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd, new Dictionary<string, string>
        {
            // Quiet hours now (this hour and the next), and two texts a day.
            ["Sms:QuietFromHour"] = hour.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sms:QuietUntilHour"] = ((hour + 2) % 24).ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Sms:MaxPerNumberPerDay"] = "2",
        }));
        await gateway.StartAsync();
        await using var n1 = new TestNode("hg-sms-11", await gateway.RegisterNodeAsync("hg-sms-11"));
        Assert.True((await n1.ConnectAsync(gateway.MqttPort)).Ok);
        await SubscribeAsync(gateway, Farmer, "hg-sms-11", "rice_test");

        // Warning at night: it waits for the morning.
        await PublishAsync(n1, 1.4, 1.5);
        await WaitAsync(async () => (await TextsAsync(gateway)).Any(t => t.GetProperty("kind").GetString() == "warning"), TimeSpan.FromSeconds(20), "the warning queued");
        JsonElement warning = (await TextsAsync(gateway)).Single(t => t.GetProperty("kind").GetString() == "warning");
        Assert.Equal("queued", warning.GetProperty("state").GetString());
        Assert.Equal("quiet_hours", warning.GetProperty("reason").GetString());
        Assert.True(warning.GetProperty("due_at").GetInt64() > DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 60);

        // Danger at night: it goes out now.
        await PublishAsync(n1, 2.5, 2.6);
        await WaitAsync(() => smsd.Sent().Any(t => t.Text.StartsWith("NGUY HIEM", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the danger text at night", smsd);
        Assert.DoesNotContain(smsd.Sent(), t => t.Text.StartsWith("CANH BAO", StringComparison.Ordinal));

        // Down, clear and up again: the all-clear (3rd text of the day, counting the waiting warning) and the next
        // danger are over the daily limit of 2: suppressed and counted, not sent.
        await PublishAsync(n1, 0.2, 0.2, 2.5, 2.6);
        await WaitAsync(async () => await gateway.MetricAsync("edgesensors_sms_texts_total", "state=\"suppressed\"") >= 1, TimeSpan.FromSeconds(20), "a text suppressed by the daily limit");
        await Task.Delay(1500);
        var kinds = (await TextsAsync(gateway)).Select(t => $"{t.GetProperty("kind").GetString()}:{t.GetProperty("state").GetString()}:{t.GetProperty("reason").GetString()}").ToList();
        output.WriteLine(string.Join(" | ", kinds));
        output.WriteLine(string.Join("\n", gateway.Output.Split('\n').Where(l => l.Contains("SMS", StringComparison.Ordinal))));
        Assert.Single(smsd.Sent());
        Assert.Contains(kinds, k => k.EndsWith(":suppressed:daily_limit", StringComparison.Ordinal) || k.EndsWith(":suppressed:superseded", StringComparison.Ordinal));
        Assert.True(await gateway.MetricAsync("edgesensors_sms_texts_total", "reason=\"daily_limit\"") >= 1);
    }

    [GammuFact]
    public async Task A_stopped_daemon_makes_texts_wait_counted_and_they_go_out_when_it_returns()
    {
        await using var smsd = new GammuSmsdServer();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd));
        await gateway.StartAsync();
        await using var n1 = new TestNode("hg-sms-21", await gateway.RegisterNodeAsync("hg-sms-21"));
        Assert.True((await n1.ConnectAsync(gateway.MqttPort)).Ok);
        await SubscribeAsync(gateway, Farmer, "hg-sms-21", "rice_test");
        await SubscribeAsync(gateway, Orchard, "hg-sms-21", "rice_test");

        await PublishAsync(n1, 1.4, 1.5); // the daemon is not running
        await WaitAsync(() => smsd.Waiting().Count == 2, TimeSpan.FromSeconds(20), "two texts waiting in gammu-smsd's outbox");
        await WaitAsync(async () => await gateway.MetricAsync("edgesensors_sms_backlog") == 2, TimeSpan.FromSeconds(20), "the backlog counted");
        await Task.Delay(1000);
        Assert.Empty(smsd.Sent());

        await smsd.StartAsync();
        await WaitAsync(() => smsd.Sent().Count == 2, TimeSpan.FromSeconds(30), "both texts sent once the daemon is back", smsd);
        await WaitAsync(async () => await gateway.MetricAsync("edgesensors_sms_backlog") == 0, TimeSpan.FromSeconds(20), "the backlog at 0");
        Assert.Equal(2, await gateway.MetricAsync("edgesensors_sms_texts_total", "state=\"sent\""));
    }

    [GammuFact]
    public async Task The_morning_text_gives_the_days_safe_intake_hours_from_a_week_of_tide_driven_salinity()
    {
        await using var smsd = new GammuSmsdServer();
        await smsd.StartAsync();
        int hour = DateTimeOffset.UtcNow.AddHours(7).Hour; // the morning hour is now
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd, new Dictionary<string, string>
        {
            ["Sms:MorningHour"] = hour.ToString(System.Globalization.CultureInfo.InvariantCulture),
        }));
        await gateway.StartAsync();
        await using var n1 = new TestNode("hg-sms-31", await gateway.RegisterNodeAsync("hg-sms-31"));
        Assert.True((await n1.ConnectAsync(gateway.MqttPort)).Ok);

        // Eight days of a semi-diurnal (M2) and diurnal (K1) tide pushing salt: 0.2 … 1.8 ‰ around 1.0 ‰, every 15
        // minutes; below the rice watch level (0.6 ‰) a few hours a day. Sent with their own (past) times.
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var samples = new List<EdgeSensors.Node.Samples.Sample>();
        for (long t = now - (8 * 86400L); t < now - 600; t += 900)
        {
            double h = t / 3600.0;
            samples.Add(n1.SampleAt(1.0 + (0.6 * Math.Sin(2 * Math.PI * h / 12.4206)) + (0.2 * Math.Sin(2 * Math.PI * h / 23.9345)), t));
        }

        foreach (var chunk in samples.Chunk(20))
        {
            Assert.True((await n1.PublishAsync(chunk)).IsSuccess);
        }

        // Subscribed after the history is in and judged (the station's answer holds its last value): the changes of
        // level in the history were the core's before this farmer subscribed, so the first text is the morning one.
        double last = samples[^1].Reading.SalinityPpt;
        await WaitAsync(async () => (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/stations")).EnumerateArray()
            .Any(st => st.GetProperty("intake").ValueKind == JsonValueKind.Object && Math.Abs(st.GetProperty("intake").GetProperty("value_ppt").GetDouble() - last) < 0.005), TimeSpan.FromSeconds(60), "the history judged");
        await SubscribeAsync(gateway, Farmer, "hg-sms-31", "rice_test");
        await WaitAsync(() => smsd.Sent().Any(t => t.Number == Farmer), TimeSpan.FromSeconds(40), "the morning text", smsd);
        string text = smsd.Sent().Single(t => t.Number == Farmer).Text;
        output.WriteLine(text);
        Assert.Matches(@"^Gio lay nuoc an toan hom nay tai Vi Thanh \(hg-sms-31\) cho Lua \(thu\): \d\d:\d\d-\d\d:\d\d", text);
        Assert.Matches(@"\(do tin cay (cao|trung binh|thap)\)\.$", text);
    }

    private static async Task<List<JsonElement>> TextsAsync(GatewayProcess gateway) =>
        [.. (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/texts")).EnumerateArray()];

    /// <summary>The code in a confirmation text ("Ma 1234: nhan XN 1234 …").</summary>
    private static string CodeIn(string text) => System.Text.RegularExpressions.Regex.Match(text, "XN (\\d{4})").Groups[1].Value is { Length: 4 } c ? c : throw new InvalidOperationException("no code in: " + text);

    [GammuFact]
    public async Task A_forged_sender_changes_no_subscription_and_no_reply_repeats_what_was_typed()
    {
        // Issue 29: a spoofed HUY unsubscribed a farmer a technician had subscribed; a spoofed DK subscribed any
        // number; the reply to "DK https://evil.example/…" made the commune's SIM send that link.
        await using var smsd = new GammuSmsdServer();
        await smsd.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, null, Settings(smsd));
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-sms-05");
        await SubscribeAsync(gateway, Farmer, "hg-sms-05", "rice_test");

        // The attacker forges the farmer's number (the network delivers it as from the farmer) and a stranger's.
        smsd.Deliver(Farmer, "HUY");
        smsd.Deliver(Orchard, "DK hg-sms-05 LUA");
        smsd.Deliver(Elsewhere, "DK https://evil.example/mo-cong LUA");
        await WaitAsync(() => smsd.Sent().Count >= 3, TimeSpan.FromSeconds(30), "three answers", smsd);

        // The codes went to the numbers' real holders, who did not answer: nothing changed.
        JsonElement subs = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-sms-05");
        Assert.Equal([Farmer], subs.EnumerateArray().Select(x => x.GetProperty("phone").GetString()!).ToArray());
        Assert.StartsWith("Ma ", smsd.Sent().Single(t => t.Number == Farmer).Text, StringComparison.Ordinal);
        Assert.StartsWith("Ma ", smsd.Sent().Single(t => t.Number == Orchard).Text, StringComparison.Ordinal);
        string refusal = smsd.Sent().Single(t => t.Number == Elsewhere).Text;
        Assert.DoesNotContain("evil", refusal, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", refusal, StringComparison.OrdinalIgnoreCase);

        // A forger guessing codes: three wrong tries end the request; the right code afterwards no longer works.
        string farmersCode = CodeIn(smsd.Sent().Single(t => t.Number == Farmer).Text);
        string wrong = farmersCode == "1111" ? "2222" : "1111";
        for (int i = 0; i < 3; i++)
        {
            smsd.Deliver(Farmer, "XN " + wrong);
            await WaitAsync(() => smsd.Sent().Count(t => t.Number == Farmer) == 2 + i, TimeSpan.FromSeconds(30), "the answer to a wrong code", smsd);
        }

        smsd.Deliver(Farmer, "XN " + farmersCode);
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == Farmer) == 5, TimeSpan.FromSeconds(30), "the answer to the late right code", smsd);
        Assert.StartsWith("Ma khong dung", smsd.Sent().Where(t => t.Number == Farmer).Last().Text, StringComparison.Ordinal);
        subs = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/sms/subscribers?node=hg-sms-05");
        Assert.Single(subs.EnumerateArray());

        // The one who holds the number confirms: done, and audited without the whole number.
        smsd.Deliver(Orchard, "XN " + CodeIn(smsd.Sent().Single(t => t.Number == Orchard).Text));
        await WaitAsync(() => smsd.Sent().Count(t => t.Number == Orchard) == 2, TimeSpan.FromSeconds(30), "the subscription", smsd);
        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit?account=sms");
        JsonElement entry = audit.EnumerateArray().Single(a => a.GetProperty("action").GetString() == "sms_subscribe");
        Assert.Equal("hg-sms-05 rice_tillering (sms)", entry.GetProperty("detail").GetString());
        Assert.Contains("*****", entry.GetProperty("target").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Orchard, entry.GetRawText(), StringComparison.Ordinal);
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what, GammuSmsdServer? smsd = null)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"timed out waiting for {what}" + (smsd == null ? string.Empty : $"; gammu-smsd log:\n{smsd.Log}"));
            }

            await Task.Delay(100);
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }
}
