using System.Net.Sockets;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>
/// Issue 29: 1,000 idle sockets from one host took all of Kestrel's 1,000 connections and the HTTPS API stopped
/// answering. One address now holds at most 64; each new one closes that address's oldest.
/// </summary>
public sealed class IdleSocketFloodTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_thousand_idle_sockets_from_one_address_leave_the_HTTPS_API_answering()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();

        var idle = new List<TcpClient>();
        try
        {
            for (int i = 0; i < 1000; i++)
            {
                var c = new TcpClient();
                await c.ConnectAsync("127.0.0.1", i % 2 == 0 ? gateway.HttpsPort : gateway.HttpPort);
                idle.Add(c);
            }

            // The flood is in place (the gateway has taken in the 1,000 and closed all but the 64 one address may hold
            // on the HTTP and HTTPS ports together) before the operator comes: otherwise the operator's connection
            // could be counted before the flood's tail. Each socket's pending read ends when the gateway closes it:
            // that is the signal waited for, not a poll.
            int ended = 0;
            var enough = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            foreach (TcpClient c in idle)
            {
                _ = EndOfStreamAsync(c).ContinueWith(_ =>
                {
                    if (Interlocked.Increment(ref ended) >= 1000 - (2 * 64) - 1)
                    {
                        enough.TrySetResult();
                    }
                }, TaskScheduler.Default);
            }

            await enough.Task.WaitAsync(TimeSpan.FromSeconds(20)).ContinueWith(_ => { }, TaskScheduler.Default);

            using HttpClient operatorHttp = gateway.CreateHttpsClient(timeout: TimeSpan.FromSeconds(10));
            using HttpResponseMessage r = await operatorHttp.GetAsync("/api/health");
            Assert.True(r.IsSuccessStatusCode, $"{(int)r.StatusCode}");

            // Most of the flood was closed by the gateway, not held.
            int closed = Closed(idle);
            output.WriteLine($"{closed} of 1000 idle sockets closed by the gateway");
            Assert.True(closed >= 1000 - (2 * 64) - 1, $"only {closed} of the idle sockets were closed");
        }
        finally
        {
            idle.ForEach(c => c.Dispose());
        }
    }

    /// <summary>Completes when the peer closes the socket (a read returns 0 bytes or fails).</summary>
    private static async Task EndOfStreamAsync(TcpClient c)
    {
        var buffer = new byte[64];
        try
        {
            while (await c.GetStream().ReadAsync(buffer) > 0)
            {
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or ObjectDisposedException or InvalidOperationException)
        {
        }
    }

    /// <summary>How many of the sockets the gateway has closed (readable with nothing to read, or reset).</summary>
    private static int Closed(List<TcpClient> sockets)
    {
        int closed = 0;
        foreach (TcpClient c in sockets)
        {
            try
            {
                closed += c.Client.Poll(0, SelectMode.SelectRead) && c.Client.Available == 0 ? 1 : 0;
            }
            catch (SocketException)
            {
                closed++;
            }
            catch (ObjectDisposedException)
            {
                closed++;
            }
        }

        return closed;
    }
}
