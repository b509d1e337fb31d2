using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Protocol;
using MQTTnet;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>
/// Issue 15, scope 5: the gateway's security events and operator actions reach the province SOC's syslog receiver —
/// a real rsyslog over TLS (RFC 5425) — as RFC 5424 messages whose structured data rsyslog itself parses; no secret
/// travels; events raised while the receiver is away arrive once it is back.
/// </summary>
public sealed class SocSyslogTests(ITestOutputHelper output)
{
    private const string WrongPassword = "guess-Tr0ub4dor-&3";

    [Fact]
    public async Task Refused_connects_ACL_violations_and_operator_actions_reach_rsyslog_as_RFC5424_with_structured_data()
    {
        using var tls = new TlsFiles();
        await using var soc = new RsyslogServer(tls);
        await soc.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string>
        {
            ["Soc:Syslog:Host"] = "127.0.0.1",
            ["Soc:Syslog:Port"] = soc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Soc:Syslog:CaCertificatePath"] = tls.CaPem,
        });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-soc-1");
        await gateway.RegisterNodeAsync("hg-soc-2");

        // 1. A password guesser.
        await using (var guesser = new TestNode("hg-soc-1", WrongPassword))
        {
            Assert.False((await guesser.ConnectAsync(gateway.MqttPort)).Ok);
        }

        JsonElement refused = await soc.WaitForAsync(e => Msgid(e) == "connect_refused", TimeSpan.FromSeconds(30), "the refused connect");
        output.WriteLine(refused.ToString());
        Assert.Equal("1", refused.GetProperty("protocol_version").GetString());
        Assert.Equal("edgesensors-gateway", refused.GetProperty("app").GetString());
        Assert.Equal("auth", refused.GetProperty("facility").GetString());
        Assert.Equal("warning", refused.GetProperty("severity").GetString());
        JsonElement sd = Sd(refused);
        Assert.Equal("test-site", sd.GetProperty("site").GetString());
        Assert.Equal("127.0.0.1", sd.GetProperty("src").GetString());
        Assert.Equal("hg-soc-1", sd.GetProperty("node").GetString());
        Assert.Equal("bad_credentials", sd.GetProperty("reason").GetString());

        // 2. A node publishing on another node's topic (an ACL violation).
        await using (var node = new TestNode("hg-soc-1", secret))
        {
            Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
            MqttClientPublishResult r = await node.PublishRawAsync(Topics.Telemetry("hg-soc-2"), "{}"u8.ToArray());
            Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, r.ReasonCode);
        }

        JsonElement acl = await soc.WaitForAsync(e => Msgid(e) == "acl_publish", TimeSpan.FromSeconds(30), "the ACL violation");
        Assert.Equal("hg-soc-1", Sd(acl).GetProperty("node").GetString());
        Assert.Contains("sensors/hg-soc-2/telemetry", acl.GetProperty("msg").GetString(), StringComparison.Ordinal);

        // 3. Operator actions and a failed login, from the audit trail.
        HttpResponseMessage added = await gateway.Http.PostAsJsonAsync("/api/operators", new { name = "kt-soc", role = "technician" });
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        string newToken = (await added.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        using (var stranger = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") })
        {
            stranger.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token-" + WrongPassword);
            Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/nodes")).StatusCode);
        }

        JsonElement audit = await soc.WaitForAsync(e => Msgid(e) == "operator_add", TimeSpan.FromSeconds(30), "the operator_add audit entry");
        Assert.Equal("audit", audit.GetProperty("facility").GetString());
        Assert.Equal("kt-soc", Sd(audit).GetProperty("target").GetString());
        Assert.Equal("technician", Sd(audit).GetProperty("detail").GetString());
        JsonElement login = await soc.WaitForAsync(e => Msgid(e) == "login_failed", TimeSpan.FromSeconds(30), "the failed login");
        Assert.Equal("warning", login.GetProperty("severity").GetString());

        // 4. Nothing secret went to the SOC: not the guessed password, not a token, not the node's secret.
        string all = await File.ReadAllTextAsync(soc.OutputPath);
        Assert.DoesNotContain(WrongPassword, all, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayProcess.OperatorToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(newToken, all, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, all, StringComparison.Ordinal);

        // 5. The receiver goes away; what happens meanwhile is queued and sent when it is back.
        await soc.StopAsync();
        await using (var guesser = new TestNode("hg-soc-2", WrongPassword))
        {
            Assert.False((await guesser.ConnectAsync(gateway.MqttPort)).Ok);
        }

        await WaitAsync(async () => (await gateway.HealthAsync()).GetProperty("soc").GetProperty("state").GetString() == "retrying", TimeSpan.FromSeconds(30));
        await soc.StartAsync();
        JsonElement late = await soc.WaitForAsync(e => Msgid(e) == "connect_refused" && Sd(e).GetProperty("node").GetString() == "hg-soc-2", TimeSpan.FromSeconds(90), "the refused connect raised while the receiver was away");
        Assert.Equal("127.0.0.1", Sd(late).GetProperty("src").GetString());
        Assert.Equal(0, await gateway.MetricAsync("edgesensors_soc_events_total", "result=\"dropped\""));
        Assert.True(await gateway.MetricAsync("edgesensors_soc_events_total", "result=\"sent\"") >= 5);

        // The meta sequenceId counts every event the gateway raised, so the SOC can see a gap.
        var seqs = soc.Received().Select(e => long.Parse(e.GetProperty("sd").GetProperty("meta").GetProperty("sequenceid").GetString()!, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        Assert.Equal(seqs.Count, seqs.Distinct().Count());
    }

    private static string? Msgid(JsonElement e) => e.GetProperty("msgid").GetString();

    private static JsonElement Sd(JsonElement e) => e.GetProperty("sd").GetProperty("edgesensors@32473");

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < end, "condition not reached in time");
            await Task.Delay(200);
        }
    }
}
