using System.Net;
using System.Net.Sockets;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>
/// Issue 29: a malicious (or broken) IOC broker's 256 MB PUBLISH took the gateway's memory to 888 MB, over the
/// service's 450 MB limit, into a restart loop. The uplink now refuses a packet over Uplink:MaxIncomingPacketBytes
/// from its fixed header, before reading its body.
/// </summary>
public sealed class OversizePacketTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_256_MB_packet_from_the_IOC_broker_is_cut_before_it_is_read()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, port);
        await gateway.StartAsync();
        double before = gateway.RssMb();

        using TcpClient broker = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(30));
        NetworkStream s = broker.GetStream();
        await SkipPacketAsync(s); // the gateway's CONNECT
        await s.WriteAsync(new byte[] { 0x20, 0x03, 0x00, 0x00, 0x00 }); // CONNACK (MQTT 5): accepted, no properties

        // PUBLISH QoS 0 announcing the largest remaining length MQTT allows (268,435,455 bytes), then its body.
        await s.WriteAsync(new byte[] { 0x30, 0xFF, 0xFF, 0xFF, 0x7F });
        byte[] chunk = new byte[64 * 1024];
        chunk[1] = 3; // topic length 3 ("a/b"), then payload
        long sent = 0;
        try
        {
            while (sent < 268_435_455)
            {
                await s.WriteAsync(chunk);
                sent += chunk.Length;
            }
        }
        catch (IOException)
        {
            // The gateway closed the connection.
        }

        double after = gateway.RssMb();
        output.WriteLine($"sent {sent / 1024 / 1024} MB before the gateway closed; RSS {before:F0} → {after:F0} MB");
        Assert.True(sent < 64L * 1024 * 1024, $"the gateway read {sent / 1024 / 1024} MB of the packet");
        Assert.True(after - before < 20, $"RSS grew {after - before:F0} MB");
        // The gateway dropped the link and comes back with a new one (its backoff), alive and within its memory.
        using TcpClient again = await listener.AcceptTcpClientAsync().WaitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(string.Join("\n", gateway.Output.Split('\n').Where(l => l.Contains("IOC", StringComparison.Ordinal))));
        Assert.True(gateway.RssMb() - before < 20);
        Assert.Null(gateway.ExitCode);
    }

    private static async Task SkipPacketAsync(NetworkStream s)
    {
        byte[] one = new byte[1];
        await s.ReadExactlyAsync(one);
        int length = 0, multiplier = 1;
        do
        {
            await s.ReadExactlyAsync(one);
            length += (one[0] & 0x7F) * multiplier;
            multiplier *= 128;
        }
        while ((one[0] & 0x80) != 0);
        await s.ReadExactlyAsync(new byte[length]);
    }
}
