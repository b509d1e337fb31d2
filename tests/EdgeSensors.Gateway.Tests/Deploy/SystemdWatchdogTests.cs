using System.Net.Sockets;
using System.Text;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Deploy;

/// <summary>
/// The gateway under systemd's notify protocol, with systemd played by a Unix datagram socket as sd_notify(3)
/// describes it: READY=1 once it listens, WATCHDOG=1 at half of WATCHDOG_USEC while it is healthy, STOPPING=1 on SIGTERM.
/// </summary>
public sealed class SystemdWatchdogTests
{
    [Fact]
    public async Task The_gateway_says_ready_then_keeps_petting_the_watchdog_and_says_when_it_stops()
    {
        using var dir = new TempDir();
        string socketPath = Path.Combine(dir.Path, "notify.sock");
        using var systemd = new Socket(AddressFamily.Unix, SocketType.Dgram, ProtocolType.Unspecified);
        systemd.Bind(new UnixDomainSocketEndPoint(socketPath));
        await using var gateway = new GatewayProcess(Path.Combine(dir.Path, "data"));
        gateway.Environment["NOTIFY_SOCKET"] = socketPath;
        gateway.Environment["WATCHDOG_USEC"] = "1000000";
        await gateway.StartAsync();

        var seen = new List<string>();
        async Task<string> NextAsync()
        {
            byte[] buffer = new byte[512];
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            int n = await systemd.ReceiveAsync(buffer, SocketFlags.None, cts.Token);
            string message = Encoding.UTF8.GetString(buffer, 0, n).Trim();
            seen.Add(message);
            return message;
        }

        Assert.Equal("READY=1", await NextAsync());
        Assert.Equal("WATCHDOG=1", await NextAsync());
        Assert.Equal("WATCHDOG=1", await NextAsync());
        Assert.Equal(0, await gateway.TerminateAsync(TimeSpan.FromSeconds(30)));
        string last;
        do
        {
            last = await NextAsync();
        }
        while (last == "WATCHDOG=1");
        Assert.Equal("STOPPING=1", last);
    }
}
