using System.Text;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Protocol;
using MQTTnet;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>Issue 15, scope 3: invalid UTF-8 anywhere is refused with a reason code and counted like any malformed payload, and the connection is kept.</summary>
public sealed class InvalidUtf8Tests
{
    [Fact]
    public async Task Invalid_UTF8_inside_a_JSON_string_is_refused_with_a_reason_counted_and_the_node_stays_connected()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-utf8-1");
        await using var node = new TestNode("hg-utf8-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);

        // A well-formed telemetry document whose node id carries a lone continuation byte (0x80) inside the string.
        byte[] telemetry = Bytes("{\"v\":1,\"node\":\"hg-utf8-1", [0x80], "\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":1,\"sync\":true,\"r\":{}}]}");
        MqttClientPublishResult t = await node.PublishRawAsync(Topics.Telemetry("hg-utf8-1"), telemetry);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, t.ReasonCode);
        Assert.Contains("UTF-8", t.ReasonString ?? string.Empty, StringComparison.Ordinal);

        // The same in a status message (an overlong encoding of '/').
        byte[] status = Bytes("{\"v\":1,\"node\":\"hg-utf8-1\",\"online\":true,\"fw\":\"1.0", [0xC0, 0xAF], "\"}");
        MqttClientPublishResult s = await node.PublishRawAsync(Topics.Status("hg-utf8-1"), status);
        Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, s.ReasonCode);

        Assert.Equal(2, await gateway.MetricAsync("edgesensors_refused_total", "reason=\"malformed\""));
        // Still connected, still welcome with good data.
        Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess);
    }

    private static byte[] Bytes(string before, byte[] bad, string after) => [.. Encoding.UTF8.GetBytes(before), .. bad, .. Encoding.UTF8.GetBytes(after)];
}
