using System.Net;
using System.Net.Sockets;

namespace EdgeSensors.Gateway.Tests.Fixtures;

public static class FreePort
{
    private static int _next = 20000 + (Environment.ProcessId * 211 % 12000);

    /// <summary>
    /// A free TCP port on 127.0.0.1, from 20000–31999 — below Linux's ephemeral range (32768–60999), so no outgoing
    /// connection of any test process can take it between this call and the gateway binding it (the OS-assigned
    /// port 0 trick handed out ephemeral ports, and a gateway now opens four of them). Test processes start at
    /// different points of the range.
    /// </summary>
    public static int Next()
    {
        for (int attempt = 0; attempt < 12000; attempt++)
        {
            int port = 20000 + ((Interlocked.Increment(ref _next) - 20000) % 12000);
            try
            {
                using var l = new TcpListener(IPAddress.Loopback, port);
                l.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }

        throw new InvalidOperationException("no free TCP port in 20000–31999 on 127.0.0.1");
    }

    /// <summary>
    /// Waits until a started process listens on <paramref name="port"/>; if it exits first, throws with its exit code
    /// and output (a refused configuration says why).
    /// </summary>
    public static async Task WaitListeningOrExitAsync(System.Diagnostics.Process process, int port, TimeSpan timeout, string what, Func<string> output)
    {
        Task exited = process.WaitForExitAsync();
        Task listening = WaitListeningAsync(port, timeout);
        if (await Task.WhenAny(exited, listening) == exited)
        {
            await Task.Delay(200);
            throw new InvalidOperationException($"{what} exited with code {process.ExitCode} before listening:\n{output()}");
        }

        await listening;
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
