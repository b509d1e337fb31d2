using System.Net;
using System.Net.Sockets;
using System.Text;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// The attacker on the shared Wi-Fi, as a test can be one without root: a TCP relay on 127.0.0.1 that sits on the
/// path between a client and a server and keeps every byte that crosses it, both ways — what a sniffer on the
/// segment would capture. Point the client at <see cref="Port"/>; the tap forwards to the real target.
/// </summary>
public sealed class RecordingTap : IAsyncDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _target;
    private readonly MemoryStream _captured = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _pumps = [];
    private readonly Task _accept;

    public RecordingTap(int targetPort)
    {
        _target = targetPort;
        _listener.Start();
        _accept = AcceptAsync();
    }

    public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

    /// <summary>Connections relayed so far.</summary>
    public int Connections { get; private set; }

    /// <summary>Everything captured, both directions.</summary>
    public byte[] Captured
    {
        get
        {
            lock (_lock)
            {
                return _captured.ToArray();
            }
        }
    }

    /// <summary>True when the capture holds <paramref name="secret"/> in any form a sniffer would try: UTF-8, Base64 (HTTP Basic), or Base64 of "user:secret".</summary>
    public bool Reveals(string secret, string? user = null)
    {
        byte[] all = Captured;
        var forms = new List<byte[]> { Encoding.UTF8.GetBytes(secret), Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(secret))) };
        if (user != null)
        {
            forms.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(Encoding.UTF8.GetBytes(user + ":" + secret))));
        }

        return forms.Any(f => all.AsSpan().IndexOf(f) >= 0);
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        try
        {
            await _accept;
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        try
        {
            await Task.WhenAll(_pumps.ToArray()).WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (Exception ex) when (ex is OperationCanceledException or SocketException or IOException or TimeoutException or ObjectDisposedException)
        {
        }

        _stop.Dispose();
        _captured.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client = await _listener.AcceptTcpClientAsync(_stop.Token);
            Connections++;
            var server = new TcpClient();
            await server.ConnectAsync(IPAddress.Loopback, _target, _stop.Token);
            lock (_lock)
            {
                _pumps.Add(PumpAsync(client, server));
                _pumps.Add(PumpAsync(server, client));
            }
        }
    }

    private async Task PumpAsync(TcpClient from, TcpClient to)
    {
        byte[] buffer = new byte[16384];
        try
        {
            NetworkStream input = from.GetStream();
            NetworkStream output = to.GetStream();
            int n;
            while ((n = await input.ReadAsync(buffer, _stop.Token)) > 0)
            {
                lock (_lock)
                {
                    _captured.Write(buffer, 0, n);
                }

                await output.WriteAsync(buffer.AsMemory(0, n), _stop.Token);
            }
        }
        catch (Exception ex) when (ex is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            from.Close();
            to.Close();
        }
    }
}
