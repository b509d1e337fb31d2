using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>TLS to the IOC: a real Mosquitto TLS listener with a private CA; the gateway trusts it by CA file or by pin, and refuses a wrong pin.</summary>
public sealed class UplinkTlsTests
{
    private static async Task<(int Delivered, string? LastError)> ForwardAsync(Func<TlsFiles, Dictionary<string, string>> settings)
    {
        using var tls = new TlsFiles();
        await using var ioc = new MosquittoBroker(tls);
        await ioc.StartAsync();
        await using var recorder = new IocRecorder(ioc.Port, tls: true);
        await recorder.StartAsync();
        using var dir = new TempDir();
        var extra = settings(tls);
        extra["Uplink:Tls"] = "true";
        await using var gateway = new GatewayProcess(dir.Path, ioc.Port, extra);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-tls-1");
        await using var node = new TestNode("hg-tls-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample(), node.NextSample())).IsSuccess);
        try
        {
            await recorder.WaitForAsync(r => r.ReadingCounts.Count == 3, TimeSpan.FromSeconds(15), "3 readings over TLS");
        }
        catch (TimeoutException)
        {
        }

        var health = await gateway.HealthAsync();
        string? error = health.GetProperty("uplink").GetProperty("last_error").ToString();
        return (recorder.ReadingCounts.Count, error);
    }

    [Fact]
    public async Task Readings_reach_a_TLS_IOC_that_the_gateway_trusts_through_its_CA_file()
    {
        var (delivered, _) = await ForwardAsync(t => new Dictionary<string, string> { ["Uplink:CaCertificatePath"] = t.CaPem });
        Assert.Equal(3, delivered);
    }

    [Fact]
    public async Task Readings_reach_a_TLS_IOC_whose_certificate_is_pinned()
    {
        var (delivered, _) = await ForwardAsync(t => new Dictionary<string, string> { ["Uplink:PinnedCertificateSha256"] = t.ServerSha256 });
        Assert.Equal(3, delivered);
    }

    [Fact]
    public async Task A_certificate_that_does_not_match_the_pin_is_refused_and_nothing_is_sent()
    {
        var (delivered, error) = await ForwardAsync(_ => new Dictionary<string, string> { ["Uplink:PinnedCertificateSha256"] = new string('A', 64) });
        Assert.Equal(0, delivered);
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public async Task Without_the_CA_the_system_store_does_not_trust_a_private_IOC()
    {
        var (delivered, error) = await ForwardAsync(_ => []);
        Assert.Equal(0, delivered);
        Assert.False(string.IsNullOrEmpty(error));
    }
}
