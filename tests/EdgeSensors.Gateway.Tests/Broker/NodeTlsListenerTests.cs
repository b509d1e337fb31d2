using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Broker;

public sealed class NodeTlsListenerTests
{
    [Fact]
    public async Task A_node_connects_over_the_optional_TLS_listener_with_its_credentials()
    {
        using var tls = new TlsFiles();
        using var dir = new TempDir();
        int tlsPort = FreePort.Next();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string>
        {
            ["Broker:TlsCertificatePath"] = tls.Pfx,
            ["Broker:TlsCertificatePassword"] = tls.PfxPassword,
            ["Broker:TlsPort"] = tlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await gateway.StartAsync();
        await FreePort.WaitListeningAsync(tlsPort, TimeSpan.FromSeconds(20));
        string secret = await gateway.RegisterNodeAsync("hg-tls-node");

        await using var node = new TestNode("hg-tls-node", secret);
        var connected = await node.ConnectAsync(tlsPort, trustedCaPem: tls.CaPem);
        Assert.True(connected.Ok, connected.Reason);
        Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess);
        JsonElement detail = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes/hg-tls-node");
        Assert.Equal(1, detail.GetProperty("last_readings").GetArrayLength());

        await using var wrong = new TestNode("hg-tls-node", secret + "x");
        Assert.False((await wrong.ConnectAsync(tlsPort, trustedCaPem: tls.CaPem)).Ok);
        Assert.DoesNotContain(tls.PfxPassword, gateway.Output, StringComparison.Ordinal);
    }
}
