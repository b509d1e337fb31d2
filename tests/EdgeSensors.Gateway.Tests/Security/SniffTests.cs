using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Security;

/// <summary>
/// Issue 19, acceptance 1: a default installation, sniffed on the wire. Every link that carries a secret — a node
/// connecting, an operator calling the API, the uplink logging in to the IOC — goes through a recording tap; no
/// password or token appears in what it captured. The gateway runs with its defaults (TLS node listener with the
/// certificate it made itself, no plain MQTT, HTTPS for the API); only the IOC's address and credentials are given.
/// </summary>
public sealed class SniffTests
{
    [Fact]
    public async Task No_password_or_token_crosses_the_wire_in_clear_in_a_default_installation()
    {
        using var iocTls = new TlsFiles();
        await using var ioc = new MosquittoBroker(iocTls);
        await ioc.StartAsync();
        await using var recorder = new IocRecorder(ioc.Port, tls: true);
        await recorder.StartAsync();
        await using var uplinkTap = new RecordingTap(ioc.Port);
        using var dir = new TempDir();
        string uplinkPassword = "ioc-" + Guid.NewGuid().ToString("N");
        await using var gateway = new GatewayProcess(dir.Path, uplinkTap.Port, new Dictionary<string, string>
        {
            ["Broker:AllowPlaintext"] = "false", // the default; the fixture's lab setting is undone
            ["Uplink:Tls"] = "true",
            ["Uplink:CaCertificatePath"] = iocTls.CaPem,
            ["Uplink:Username"] = "hg-gateway",
            ["Uplink:Password"] = uplinkPassword,
        });
        await gateway.StartAsync();

        // No plain MQTT listener at all.
        using (var probe = new TcpClient())
        {
            await Assert.ThrowsAnyAsync<SocketException>(() => probe.ConnectAsync("127.0.0.1", gateway.MqttPort));
        }

        // The operator, over HTTPS, trusting the CA the gateway made on first start.
        await using var apiTap = new RecordingTap(gateway.HttpsPort);
        using HttpClient operatorHttp = gateway.CreateHttpsClient(apiTap.Port);
        HttpResponseMessage added = await operatorHttp.PostAsJsonAsync("/api/nodes", new { id = "hg-sniff-1", lat = 9.78, lon = 105.47, place = "Kênh Xáng" });
        Assert.True(added.IsSuccessStatusCode, await added.Content.ReadAsStringAsync());
        string secret = (await added.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>()).GetProperty("secret").GetString()!;

        // The node, over TLS, trusting the same CA (what `node config` writes into it).
        await using var nodeTap = new RecordingTap(gateway.TlsPort);
        await using var node = new TestNode("hg-sniff-1", secret);
        (bool ok, string reason) = await node.ConnectAsync(nodeTap.Port, trustedCaPem: gateway.CaPath);
        Assert.True(ok, reason);
        Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess);
        await recorder.WaitForAsync(r => r.ReadingCounts.Count == 2, TimeSpan.FromSeconds(30), "2 readings at the IOC through the tapped uplink");

        Assert.True(apiTap.Captured.Length > 1000 && nodeTap.Captured.Length > 1000 && uplinkTap.Captured.Length > 1000, "every tap saw the traffic");
        Assert.False(apiTap.Reveals(GatewayProcess.OperatorToken), "the operator token was readable on the wire");
        Assert.False(apiTap.Reveals(secret), "the node's new secret was readable on the wire (API response)");
        Assert.False(nodeTap.Reveals(secret, "hg-sniff-1"), "the node's password was readable on the wire");
        Assert.False(uplinkTap.Reveals(uplinkPassword, "hg-gateway"), "the uplink password was readable on the wire");

        // Nor in the gateway's own log (issues 13 and 19: secrets are never logged).
        Assert.DoesNotContain(uplinkPassword, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(secret, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(GatewayProcess.OperatorToken, gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_tap_does_catch_a_secret_sent_in_clear_so_the_test_above_can_fail()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path); // the fixture's lab setting: plain MQTT and plain HTTP on loopback
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-lab-1");
        await using var httpTap = new RecordingTap(gateway.HttpPort);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{httpTap.Port}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", GatewayProcess.OperatorToken);
        Assert.True((await http.GetAsync("/api/nodes")).IsSuccessStatusCode);
        await using var mqttTap = new RecordingTap(gateway.MqttPort);
        await using var node = new TestNode("hg-lab-1", secret);
        Assert.True((await node.ConnectAsync(mqttTap.Port)).Ok);
        await Task.Delay(200);
        Assert.True(httpTap.Reveals(GatewayProcess.OperatorToken));
        Assert.True(mqttTap.Reveals(secret));
    }

    [Fact]
    public async Task The_uplink_refuses_to_start_with_credentials_and_no_TLS_unless_explicitly_allowed()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, FreePort.Next(), new Dictionary<string, string>
        {
            ["Uplink:Username"] = "hg-gateway",
            ["Uplink:Password"] = "not-on-the-wire-in-clear",
        });
        int code = await gateway.RunToExitAsync(TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, code);
        Assert.Contains("without TLS", gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("not-on-the-wire-in-clear", gateway.Output, StringComparison.Ordinal);
    }
}
