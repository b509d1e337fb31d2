using System.Net;
using System.Net.Sockets;

namespace EdgeSensors.Gateway.Tests.Fixtures;

public static class FreePort
{
    /// <summary>A TCP port on 127.0.0.1 the OS just handed out (free at the time of asking).</summary>
    public static int Next()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public static async Task WaitListeningAsync(int port, TimeSpan timeout)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < until)
        {
            try
            {
                using var c = new TcpClient();
                await c.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(50);
            }
        }

        throw new TimeoutException($"nothing listens on 127.0.0.1:{port} after {timeout.TotalSeconds} s");
    }
}
