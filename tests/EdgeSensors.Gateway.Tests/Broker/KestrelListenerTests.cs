using System.Net;
using System.Net.Sockets;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Broker;

/// <summary>
/// Issue 33: the node broker's listener is a Kestrel endpoint beside HTTP and HTTPS, each group of ports with its own
/// limits before login. A real gateway process; the idle connections are plain TCP sockets that never start their TLS
/// handshake, as a flooder on the commune Wi-Fi would hold them.
/// </summary>
public sealed class KestrelListenerTests(ITestOutputHelper output)
{
    private const int Idle = 10_000;

    [Fact]
    public async Task Ten_thousand_idle_connections_on_the_node_port_leave_the_other_TLS_listener_and_the_HTTP_ports_working()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string>
        {
            ["Broker:AllowPlaintext"] = "false",
            // The flood is held, not timed out, for the length of the test: the longest connect timeout allowed.
            ["Broker:ConnectTimeoutSeconds"] = "60",
            ["Broker:MaxConnections"] = "11000",
            ["Broker:MaxConnectionsPerAddress"] = "11000",
        });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-kestrel-001");

        var idle = new List<Socket>(Idle);
        try
        {
            // 200 at a time: faster than the listen backlog drains would only measure SYN retries.
            for (int i = 0; i < Idle; i += 200)
            {
                Socket[] batch = Enumerable.Range(0, Math.Min(200, Idle - i)).Select(_ => new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp)).ToArray();
                idle.AddRange(batch);
                await Task.WhenAll(batch.Select(s => s.ConnectAsync(IPAddress.Loopback, gateway.TlsPort)));
            }

            // The gateway holds them all: its own count of the node ports' connections says so.
            await gateway.WaitForMetricAsync("edgesensors_node_sockets_open", null, v => v >= Idle, TimeSpan.FromSeconds(60), $"{Idle} idle connections held");
            output.WriteLine($"{Idle} idle connections held; gateway RSS {gateway.RssMb():F0} MB");

            // The other TLS listener (the operator's HTTPS) and plain HTTP answer.
            using HttpClient operatorHttps = gateway.CreateHttpsClient(timeout: TimeSpan.FromSeconds(10));
            using HttpResponseMessage health = await operatorHttps.GetAsync("/api/health");
            Assert.True(health.IsSuccessStatusCode, $"HTTPS: {(int)health.StatusCode}");
            using HttpResponseMessage page = await gateway.Http.GetAsync("/health");
            Assert.True(page.IsSuccessStatusCode, $"HTTP: {(int)page.StatusCode}");

            // And the flooded node port still takes a real node: TLS handshake, CONNECT, a reading stored and acknowledged.
            await using var node = new TestNode("hg-kestrel-001", secret);
            (bool ok, string reason) = await node.ConnectAsync(gateway.TlsPort, trustedCaPem: gateway.CaPath);
            Assert.True(ok, reason);
            Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess);

            // Held throughout, not shed to make room.
            Assert.True(await gateway.MetricAsync("edgesensors_node_sockets_open") >= Idle + 1);
        }
        finally
        {
            idle.ForEach(s => s.Dispose());
        }
    }

    [Fact]
    public async Task Beyond_its_per_address_limit_a_new_node_connection_is_closed_and_the_connected_node_keeps_its_session()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string>
        {
            ["Broker:AllowPlaintext"] = "false",
            ["Broker:ConnectTimeoutSeconds"] = "60",
            ["Broker:MaxConnectionsPerAddress"] = "20",
        });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-kestrel-002");
        await using var node = new TestNode("hg-kestrel-002", secret);
        Assert.True((await node.ConnectAsync(gateway.TlsPort, trustedCaPem: gateway.CaPath)).Ok);

        var idle = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 19; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, gateway.TlsPort);
                idle.Add(c);
            }

            await gateway.WaitForMetricAsync("edgesensors_node_sockets_open", null, v => v >= 20, TimeSpan.FromSeconds(20), "20 connections from one address");

            // The 21st from the same address: closed by the gateway at once (the read ends), counted, and said why.
            using var extra = new TcpClient();
            await extra.ConnectAsync(IPAddress.Loopback, gateway.TlsPort);
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            int n;
            try
            {
                n = await extra.GetStream().ReadAsync(new byte[1], patience.Token);
            }
            catch (IOException)
            {
                n = 0;
            }

            Assert.Equal(0, n);
            Assert.True(!patience.IsCancellationRequested, "the connection over the limit was held, not closed");
            await gateway.WaitForMetricAsync("edgesensors_refused_total", "reason=\"too_many_connections\"", v => v >= 1, TimeSpan.FromSeconds(10), "the refusal counted");
            await gateway.WaitForLogAsync("Broker:MaxConnectionsPerAddress", TimeSpan.FromSeconds(10));

            // The node that was connected before keeps its session and its readings are acknowledged.
            Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess);
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    [Theory]
    [InlineData("ftp://127.0.0.1:2121", "the gateway serves http:// and https:// on a port")]
    [InlineData("127.0.0.1:8080", "is not a URL such as http://0.0.0.0:8080")]
    public async Task A_Urls_entry_the_gateway_cannot_serve_is_refused_in_one_line_with_exit_code_2(string urls, string says)
    {
        // The URLs are bound by the gateway itself now (beside the node ports), so it judges them, not Kestrel.
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Urls"] = urls });
        int code = await gateway.RunToExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(gateway.Output);
        Assert.Equal(2, code);
        Assert.Contains("cannot start: Urls: \"" + urls + "\"", gateway.Output, StringComparison.Ordinal);
        Assert.Contains(says, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", gateway.Output, StringComparison.Ordinal);
    }
}
