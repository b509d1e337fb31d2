using System.CommandLine;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>
/// Named operator accounts (issue 19): each technician and commune operator has their own token, created and revoked
/// here with the bootstrap token (the gateway's data/operator.token) — through the API, or on the store directly when
/// the gateway is stopped. Every change goes to the audit log with who did it.
/// </summary>
public static class OperatorCommands
{
    public static Command Create()
    {
        var op = new Command("operator", "Operator accounts (technician, operator), each with its own token, and the audit log.");
        var name = new Argument<string>("name") { Description = "Account name, e.g. kt-nguyen-van-a." };
        var role = new Option<string>("--role") { Description = "technician (nodes, credentials, calibration) or operator (reads, acknowledges alerts).", Required = true };
        role.AcceptOnlyFromAmong("technician", "operator");
        var add = new Command("add", "Create an account; its token is shown once.") { name, role };
        add.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.AddOperatorAsync(p.GetValue(name)!, p.GetValue(role)!, ct), (c, b) =>
        {
            c.Ok($"Account {Output.Str(b, "name")} ({Output.Str(b, "role")}). Token: {Output.Str(b, "token")}");
            c.Warn("Shown only this once. Give it to its owner privately (never by SMS or chat); they set EDGESENSORS_OPERATOR_TOKEN.");
        }, ct));

        var revokeName = new Argument<string>("name") { Description = "Account name." };
        var revoke = new Command("revoke", "Revoke an account's token (it stops working at once).") { revokeName };
        revoke.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.RevokeOperatorAsync(p.GetValue(revokeName)!, ct), (c, _) => c.Ok($"Revoked {p.GetValue(revokeName)}."), ct));

        var list = new Command("list", "Accounts and whether they are active.");
        list.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.ListOperatorsAsync(ct), (c, b) =>
        {
            foreach (JsonElement e in b.EnumerateArray())
            {
                bool revoked = e.TryGetProperty("revoked", out JsonElement r) && r.ValueKind == JsonValueKind.Number;
                c.Info($"  {Output.Str(e, "name"),-24} {Output.Str(e, "role"),-11} {(revoked ? Console2.Paint("31", "revoked") : Console2.Paint("32", "active"))}");
            }
        }, ct));

        var limit = Numbers.Whole("--limit", "How many entries, newest first.", 1, 1000, 50);
        var audit = new Command("audit", "The audit log: who changed what, and when.") { limit };
        audit.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.AuditLogAsync(Math.Clamp(p.GetValue(limit), 1, 1000), ct), (c, b) =>
        {
            foreach (JsonElement e in b.EnumerateArray())
            {
                string when = DateTimeOffset.FromUnixTimeSeconds(e.GetProperty("ts").GetInt64()).ToString("yyyy-MM-dd HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture);
                c.Info($"  {when}  {Output.Str(e, "account"),-20} {Output.Str(e, "action"),-20} {Output.Str(e, "target")}  {Output.Str(e, "detail")}");
            }
        }, ct));

        var rotate = new Command("rotate-admin", "Give the bootstrap admin account (operator.token) a new token; the old one stops working at once.");
        rotate.SetAction((p, ct) => NodeCommands.RunAdminAsync(p, a => a.RotateAdminTokenAsync(GatewayTarget.ResolveDataDir(p), ct), (c, b) =>
        {
            c.Ok($"New admin token written to {Output.Str(b, "file")}: {Output.Str(b, "token")}");
            c.Warn("Shown only this once. Scripts and the IOC's tools that used the old token must be given the new one.");
        }, ct));

        op.Subcommands.Add(add);
        op.Subcommands.Add(rotate);
        op.Subcommands.Add(revoke);
        op.Subcommands.Add(list);
        op.Subcommands.Add(audit);
        return op;
    }
}
