using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>
/// Farmers' SMS alerts (issue 18): subscribe a farmer who asked in person (consent is recorded with the time and the
/// technician), cancel, list, and see the last texts a station sent. Through the gateway's API, or on its store when it
/// is stopped.
/// </summary>
public static class SmsCommands
{
    public static Command Create()
    {
        var sms = new Command("sms", "Salinity texts to farmers' phones: subscribers and the texts sent.");

        var phone = new Argument<string>("phone") { Description = "The farmer's mobile number: 0912 345 678 or +84912345678." };
        var node = new Argument<string>("station") { Description = "The station: its code (node id, e.g. hg-vithanh-012) or its place's name (\"Vị Tân\")." };
        var crop = new Option<string>("--crop") { Description = "Crop: a profile id (rice_tillering, durian, mango… — GET /api/public/profiles) or the word farmers text (LUA, LUA-GIEO, LUA-TRO, TOM-LUA, SAU-RIENG, BUOI, CAM, MIA, XOAI, CHUOI).", DefaultValueFactory = _ => "rice_tillering" };
        var subscribe = new Command("subscribe", "Subscribe a number to a station's salinity texts for a crop (ask the farmer first: consent is recorded).\nExample: edgesensors sms subscribe 0912345678 hg-vithanh-012 --crop mango") { phone, node, crop };
        subscribe.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.SmsSubscribeAsync(p.GetValue(phone)!, p.GetValue(node)!, p.GetValue(crop)!, ct), (c, b) =>
            c.Ok($"{Output.Str(b, "phone")} receives texts from {Output.Str(b, "node")} for {Output.Str(b, "profile")}. The farmer can text HUY to stop (a code comes back to confirm)."), ct));

        var cancelPhone = new Argument<string>("phone") { Description = "The number." };
        var cancelNode = new Option<string?>("--station") { Description = "Only this station (default: all)." };
        var cancel = new Command("cancel", "Stop a number's texts (one station, or all).") { cancelPhone, cancelNode };
        cancel.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.SmsCancelAsync(p.GetValue(cancelPhone)!, p.GetValue(cancelNode), ct), (c, b) =>
            c.Ok($"{Output.Str(b, "removed")} subscription(s) of {Output.Str(b, "phone")} removed."), ct));

        var listNode = new Option<string?>("--station") { Description = "Only this station." };
        var list = new Command("list", "Subscribers per station, with crop and when they consented.") { listNode };
        list.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.SmsSubscribersAsync(p.GetValue(listNode), ct), (c, b) =>
        {
            foreach (JsonElement e in b.EnumerateArray())
            {
                string since = DateTimeOffset.FromUnixTimeSeconds(e.GetProperty("consent_at").GetInt64()).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
                c.Info($"  {Output.Str(e, "node"),-24} {Output.Str(e, "phone"),-14} {Output.Str(e, "profile"),-16} since {since} ({Output.Str(e, "source")})");
            }
        }, ct));

        var textsNode = new Option<string?>("--station") { Description = "Only this station." };
        var limit = Numbers.Whole("--limit", "How many, newest first.", 1, 1000, 20);
        var texts = new Command("texts", "The last texts: to whom (masked), what, and whether they went out.") { textsNode, limit };
        texts.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.SmsTextsAsync(p.GetValue(textsNode), p.GetValue(limit), ct), (c, b) =>
        {
            foreach (JsonElement e in b.EnumerateArray())
            {
                string when = DateTimeOffset.FromUnixTimeSeconds(e.GetProperty("created_at").GetInt64()).ToString("MM-dd HH:mm'Z'", CultureInfo.InvariantCulture);
                c.Info($"  {when} {Output.Str(e, "phone"),-13} {Output.Str(e, "kind"),-8} {Output.Str(e, "state"),-10} {Output.Str(e, "reason")}  {Output.Str(e, "text")}");
            }
        }, ct));

        sms.Subcommands.Add(subscribe);
        sms.Subcommands.Add(cancel);
        sms.Subcommands.Add(list);
        sms.Subcommands.Add(texts);
        return sms;
    }
}
