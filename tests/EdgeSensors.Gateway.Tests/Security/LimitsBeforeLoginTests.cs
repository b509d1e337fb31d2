using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Security;

/// <summary>
/// Issue 19, acceptance 3, as an attacker who has no credentials at all: oversize HTTP bodies and an oversize MQTT
/// CONNECT are refused before they are read, the gateway's memory stays within a stated bound, and the live feed's
/// cap holds. Real gateway process; RSS read from /proc.
/// </summary>
public sealed class LimitsBeforeLoginTests
{
    /// <summary>The bound this test states: all the attacks below together may not grow the gateway by more.</summary>
    private const double RssBoundMb = 40;

    [Fact]
    public async Task Oversize_bodies_and_an_oversize_CONNECT_are_refused_unread_and_memory_stays_bounded()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        await gateway.HealthAsync();
        double before = gateway.RssMb();

        // Eight parallel 29 MB POSTs without a token, announced by Content-Length: 413 at once.
        byte[] big = new byte[29 * 1024 * 1024];
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        HttpResponseMessage[] posts = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(anonymous, "/api/nodes", new ByteArrayContent(big))));
        Assert.All(posts, r => Assert.True(r.StatusCode is HttpStatusCode.RequestEntityTooLarge, r.StatusCode.ToString()));

        // The same without Content-Length (chunked): no token, so 401 before the body is read.
        HttpResponseMessage[] chunked = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => PostAsync(anonymous, "/api/nodes", new StreamContent(new MemoryStream(big)) { Headers = { ContentType = new("application/json") } }, chunked: true)));
        Assert.All(chunked, r => Assert.True(r.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.RequestEntityTooLarge, r.StatusCode.ToString()));

        // Even with the token, the API takes kilobytes, not megabytes.
        HttpResponseMessage authed = await PostAsync(gateway.Http, "/api/nodes", new StreamContent(new MemoryStream(big)) { Headers = { ContentType = new("application/json") } }, chunked: true);
        Assert.True(authed.StatusCode is HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.BadRequest, authed.StatusCode.ToString());

        // One MQTT connection announcing a 200 MB CONNECT and streaming: cut as soon as the length is known.
        long sent = await StreamOversizeConnectAsync(gateway.MqttPort, announced: 200 * 1024 * 1024, stream: 100 * 1024 * 1024);
        Assert.True(sent < 20 * 1024 * 1024, $"the gateway read {sent} bytes of an oversize CONNECT before cutting it");
        Assert.True(await MetricSoonAsync(gateway, "oversize_packet"), gateway.Output);

        // Not a CONNECT first: cut too.
        Assert.True(await StreamOversizeConnectAsync(gateway.MqttPort, announced: 10, stream: 50 * 1024 * 1024, firstByte: 0x30) < 20 * 1024 * 1024);
        Assert.True(await MetricSoonAsync(gateway, "not_mqtt"), gateway.Output);

        double after = gateway.RssMb();
        Assert.True(after - before < RssBoundMb, $"RSS grew from {before:F0} to {after:F0} MB under the attacks");
        Assert.Equal("ok", (await gateway.HealthAsync()).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Connections_that_never_finish_CONNECT_or_the_TLS_handshake_are_dropped_quickly()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Broker:ConnectTimeoutSeconds"] = "2" });
        await gateway.StartAsync();
        foreach (int port in new[] { gateway.MqttPort, gateway.TlsPort })
        {
            using var idle = new TcpClient();
            await idle.ConnectAsync(IPAddress.Loopback, port);
            var held = System.Diagnostics.Stopwatch.StartNew();
            byte[] one = new byte[1];
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            int n;
            try
            {
                n = await idle.GetStream().ReadAsync(one, patience.Token); // says nothing: the gateway must hang up
            }
            catch (IOException)
            {
                n = 0;
            }

            Assert.Equal(0, n);
            Assert.True(held.Elapsed < TimeSpan.FromSeconds(15), $"port {port}: an idle connection was held {held.Elapsed.TotalSeconds:F0} s");
        }
    }

    [Fact]
    public async Task The_live_feed_cap_holds_with_a_clear_refusal()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Admin:MaxLiveClients"] = "3" });
        await gateway.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}"), Timeout = Timeout.InfiniteTimeSpan };
        var open = new List<HttpResponseMessage>();
        for (int i = 0; i < 3; i++)
        {
            HttpResponseMessage r = await http.GetAsync("/api/public/live", HttpCompletionOption.ResponseHeadersRead);
            Assert.Equal(HttpStatusCode.OK, r.StatusCode);
            open.Add(r);
        }

        HttpResponseMessage refused = await http.GetAsync("/api/public/live", HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.Contains("Quá nhiều", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        open[0].Dispose();
        await Task.Delay(500);
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        HttpResponseMessage again;
        while ((again = await http.GetAsync("/api/public/live", HttpCompletionOption.ResponseHeadersRead)).StatusCode != HttpStatusCode.OK && DateTime.UtcNow < until)
        {
            again.Dispose();
            await Task.Delay(200);
        }

        Assert.Equal(HttpStatusCode.OK, again.StatusCode); // a freed place is given again
        again.Dispose();
        foreach (HttpResponseMessage r in open.Skip(1))
        {
            r.Dispose();
        }
    }

    [Fact]
    public async Task The_public_health_tells_nothing_private_and_every_page_carries_security_headers()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, 1); // an uplink that fails: its error text must stay private
        await gateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        HttpResponseMessage health = await anonymous.GetAsync("/health");
        string text = await health.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
        Assert.DoesNotContain(dir.Path, text, StringComparison.Ordinal);
        Assert.DoesNotContain("last_error", text, StringComparison.Ordinal);
        Assert.DoesNotContain("path", text, StringComparison.Ordinal);
        JsonElement full = await gateway.HealthAsync(); // the operator's
        Assert.True(full.GetProperty("store").TryGetProperty("path", out _));

        HttpResponseMessage page = await anonymous.GetAsync("/");
        Assert.Equal("nosniff", page.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal("DENY", page.Headers.GetValues("X-Frame-Options").Single());
        Assert.Contains("default-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bound_to_an_IPv4_address_the_broker_does_not_also_listen_on_IPv6()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path); // the fixture binds 127.0.0.1
        await gateway.StartAsync();
        using var v6 = new TcpClient(AddressFamily.InterNetworkV6);
        await Assert.ThrowsAnyAsync<SocketException>(() => v6.ConnectAsync(IPAddress.IPv6Loopback, gateway.TlsPort));
        using var v4 = new TcpClient();
        await v4.ConnectAsync(IPAddress.Loopback, gateway.TlsPort);
    }

    private static async Task<bool> MetricSoonAsync(GatewayProcess gateway, string reason)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        while (DateTime.UtcNow < until)
        {
            if (await gateway.MetricAsync("edgesensors_refused_total", $"reason=\"{reason}\"") >= 1)
            {
                return true;
            }

            await Task.Delay(200);
        }

        return false;
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, string path, HttpContent content, bool chunked = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        try
        {
            return await http.SendAsync(request);
        }
        catch (HttpRequestException)
        {
            // The server answered and closed while the body was still going out: that is a refusal too.
            return new HttpResponseMessage(HttpStatusCode.RequestEntityTooLarge);
        }
    }

    /// <summary>Writes a fixed header announcing <paramref name="announced"/> bytes, then junk, until the gateway cuts the connection; returns what was written.</summary>
    private static async Task<long> StreamOversizeConnectAsync(int port, int announced, int stream, byte firstByte = 0x10)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, port);
        NetworkStream s = tcp.GetStream();
        var header = new List<byte> { firstByte };
        int len = announced;
        do
        {
            byte b = (byte)(len % 128);
            len /= 128;
            header.Add(len > 0 ? (byte)(b | 0x80) : b);
        }
        while (len > 0);

        long sent = 0;
        byte[] junk = new byte[64 * 1024];
        try
        {
            await s.WriteAsync(header.ToArray());
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            while (sent < stream)
            {
                await s.WriteAsync(junk, patience.Token);
                sent += junk.Length;
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException)
        {
        }

        return sent;
    }
}
