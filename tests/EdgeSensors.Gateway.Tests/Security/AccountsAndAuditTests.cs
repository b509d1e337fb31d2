using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Security;

/// <summary>
/// Issue 19, acceptance 5: named accounts with their own tokens, roles that limit what each may do, and every
/// operator action in the audit log with the account that did it. Calibration changes bounded.
/// </summary>
public sealed class AccountsAndAuditTests
{
    [Fact]
    public async Task Every_operator_action_appears_in_the_audit_log_with_the_account_that_did_it()
    {
        await using ChainRig rig = await ChainRig.StartAsync();
        GatewayProcess gateway = rig.Gateway;

        string techToken = await AddAccountAsync(gateway, "kt-lan", "technician");
        string opToken = await AddAccountAsync(gateway, "xa-vitan", "operator");
        using HttpClient tech = As(gateway, techToken);
        using HttpClient op = As(gateway, opToken);

        // The technician registers, configures, rotates; the operator may read but not change nodes.
        HttpResponseMessage added = await tech.PostAsJsonAsync("/api/nodes", new { id = "hg-audit-1", lat = 9.78, lon = 105.47, place = "Vị Tân" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        string secret = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await tech.PutAsync("/api/nodes/hg-audit-1/config", Json("""{"v":1,"interval_s":600}"""))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await op.PostAsJsonAsync("/api/nodes", new { id = "hg-audit-2" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await op.GetAsync("/api/nodes")).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await tech.PostAsJsonAsync("/api/operators", new { name = "x-y", role = "operator" })).StatusCode);

        // A salinity alert, acknowledged by the operator: acked_by is the account, not what was typed.
        await using TestNode node = await rig.ConnectNodeAsync("hg-audit-3");
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 600;
        Assert.True((await node.PublishAsync(node.SampleAt(1.2, t0), node.SampleAt(1.3, t0 + 300))).IsSuccess);
        long alertId = 0;
        DateTime until = DateTime.UtcNow.AddSeconds(20);
        while (alertId == 0 && DateTime.UtcNow < until)
        {
            JsonElement active = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/alerts?active=true");
            alertId = active.EnumerateArray().Select(a => a.GetProperty("id").GetInt64()).FirstOrDefault();
            await Task.Delay(200);
        }

        Assert.NotEqual(0, alertId);
        HttpResponseMessage ack = await op.PostAsJsonAsync($"/api/alerts/{alertId}/ack", new { by = "someone else" });
        Assert.Equal(HttpStatusCode.OK, ack.StatusCode);
        Assert.StartsWith("xa-vitan", (await ack.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("acked_by").GetString(), StringComparison.Ordinal);

        HttpResponseMessage rotated = await tech.PostAsync("/api/nodes/hg-audit-1/rotate-secret", null);
        Assert.True(rotated.StatusCode == HttpStatusCode.OK, gateway.Output);
        Assert.Equal(HttpStatusCode.NoContent, (await tech.DeleteAsync("/api/nodes/hg-audit-1")).StatusCode);

        // A wrong token is said to be wrong, and is audited (without the token).
        using HttpClient wrong = As(gateway, "es_" + new string('0', 48));
        HttpResponseMessage refused = await wrong.GetAsync("/api/nodes");
        Assert.Equal(HttpStatusCode.Unauthorized, refused.StatusCode);
        Assert.Contains("not accepted", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Revoked: the token stops working at once.
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Http.DeleteAsync("/api/operators/kt-lan")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await tech.GetAsync("/api/nodes")).StatusCode);

        JsonElement[] audit = (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit?limit=1000")).EnumerateArray().ToArray();
        (string Account, string Action, string? Target)[] rows = audit.Select(e => (e.GetProperty("account").GetString()!, e.GetProperty("action").GetString()!, e.GetProperty("target").GetString())).ToArray();
        Assert.Contains(("admin", "operator_add", "kt-lan"), rows);
        Assert.Contains(("admin", "operator_add", "xa-vitan"), rows);
        Assert.Contains(("kt-lan", "node_add", "hg-audit-1"), rows);
        Assert.Contains(("kt-lan", "node_config", "hg-audit-1"), rows);
        Assert.Contains(("kt-lan", "node_rotate_secret", "hg-audit-1"), rows);
        Assert.Contains(("kt-lan", "node_remove", "hg-audit-1"), rows);
        Assert.Contains(("xa-vitan", "alert_ack", alertId.ToString(System.Globalization.CultureInfo.InvariantCulture)), rows);
        Assert.Contains(("admin", "operator_revoke", "kt-lan"), rows);
        Assert.Contains(rows, r => r.Account == "kt-lan" && r.Action == "login");
        Assert.Contains(rows, r => r.Action == "login_failed");
        Assert.DoesNotContain(audit, e => e.GetRawText().Contains(techToken, StringComparison.Ordinal) || e.GetRawText().Contains(secret, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_calibration_change_beyond_the_bound_needs_a_technicians_record_and_is_audited()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-cal-1");

        HttpResponseMessage inflate = await gateway.Http.PutAsync("/api/nodes/hg-cal-1/config", Json("""{"v":1,"calibration":{"ec_gain":5}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, inflate.StatusCode);
        Assert.Contains("calibration_record", await inflate.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // A record that does not support the change is refused too.
        HttpResponseMessage lie = await gateway.Http.PutAsync("/api/nodes/hg-cal-1/config", Json("""{"v":1,"calibration":{"ec_gain":1.6},"calibration_record":{"technician":"kt-lan","reference_ms_cm":12.88,"measured_ms_cm":12.5}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, lie.StatusCode);

        // A small trim passes without a record; a real recalibration passes with one.
        Assert.Equal(HttpStatusCode.OK, (await gateway.Http.PutAsync("/api/nodes/hg-cal-1/config", Json("""{"v":1,"calibration":{"ec_gain":1.1}}"""))).StatusCode);
        HttpResponseMessage ok = await gateway.Http.PutAsync("/api/nodes/hg-cal-1/config", Json("""{"v":1,"calibration":{"ec_gain":1.76},"calibration_record":{"technician":"kt-lan","reference_ms_cm":12.88,"measured_ms_cm":8.05}}"""));
        Assert.Equal(HttpStatusCode.OK, ok.StatusCode);

        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit");
        JsonElement entry = audit.EnumerateArray().First(e => e.GetProperty("action").GetString() == "node_config");
        string detail = entry.GetProperty("detail").GetString()!;
        Assert.Contains("ec_gain 1.1 → 1.76", detail, StringComparison.Ordinal);
        Assert.Contains("kt-lan", detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Small_calibration_steps_are_bounded_cumulatively_against_the_last_recorded_calibration()
    {
        // Issue 29: the ×1.25 guard compared each change only with the one before, so seven ×0.8 steps took the gain
        // from 1 to 0.23 in nine seconds; an offset of −2.5 mS/cm was not guarded at all.
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-cal-2");
        async Task<HttpStatusCode> Put(string config) => (await gateway.Http.PutAsync("/api/nodes/hg-cal-2/config", Json(config))).StatusCode;

        Assert.Equal(HttpStatusCode.UnprocessableEntity, await Put("""{"v":1,"calibration":{"ec_offset":-2.5}}"""));
        Assert.Equal(HttpStatusCode.OK, await Put("""{"v":1,"calibration":{"ec_gain":0.8}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, await Put("""{"v":1,"calibration":{"ec_gain":0.64}}"""));

        // The wizard's calibration (technician and time in it) is the new reference; steps are bounded from there.
        Assert.Equal(HttpStatusCode.OK, await Put("""{"v":1,"calibration":{"ec_gain":0.7,"ec_offset":-0.1,"technician":"Trần Thị Bình","calibrated_at":"2026-12-06T08:00:00Z"}}"""));
        Assert.Equal(HttpStatusCode.OK, await Put("""{"v":1,"calibration":{"ec_gain":0.6}}"""));
        HttpResponseMessage drift = await gateway.Http.PutAsync("/api/nodes/hg-cal-2/config", Json("""{"v":1,"calibration":{"ec_gain":0.5}}"""));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, drift.StatusCode);
        Assert.Contains("against the last recorded calibration", await drift.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // What the node holds is what the accepted changes made, and the audit names each key's old and new value.
        JsonElement node = (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes")).EnumerateArray().Single(n => n.GetProperty("id").GetString() == "hg-cal-2");
        Assert.Contains("\"ec_gain\":0.6", node.GetProperty("config").GetString(), StringComparison.Ordinal);
        Assert.Contains("\"ec_offset\":-0.1", node.GetProperty("config").GetString(), StringComparison.Ordinal);
        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "node_config" && e.GetProperty("detail").GetString()!.Contains("calibration.ec_gain 0.7 → 0.6", StringComparison.Ordinal));
    }

    private static StringContent Json(string s) => new(s, System.Text.Encoding.UTF8, "application/json");

    private static HttpClient As(GatewayProcess gateway, string token)
    {
        var http = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return http;
    }

    private static async Task<string> AddAccountAsync(GatewayProcess gateway, string name, string role)
    {
        HttpResponseMessage r = await gateway.Http.PostAsJsonAsync("/api/operators", new { name, role });
        Assert.Equal(HttpStatusCode.Created, r.StatusCode);
        return (await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
    }
}
