using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Tests.Fixtures;
using MQTTnet;
using MQTTnet.AspNetCore;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace EdgeSensors.Bench;

/// <summary>
/// Issue 33, "measure the floor first": the MQTT server alone — no store, no checks, no subscriber — receiving QoS 1
/// publishes and acknowledging them, on the same load, one after the other in one run: Mosquitto, MQTTnet's server on
/// its own TCP transport, and MQTTnet's server on Kestrel (MQTTnet.AspNetCore), each plain and with TLS. Each server
/// runs in its own process, so its CPU time is its own; the load comes from this process.
/// </summary>
public static class FloorBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(int clients, int messages, string? results)
    {
        using var tls = new TlsFiles();
        var rows = new List<string>();
        byte[] payload = new byte[200]; // about a node's telemetry message
        Random.Shared.NextBytes(payload);
        foreach (bool secure in new[] { false, true })
        {
            foreach (string server in new[] { "mosquitto", "mqttnet-tcp", "mqttnet-kestrel" })
            {
                int port = FreePort.Next();
                using Process p = Start(server, port, secure, tls);
                await WaitListeningAsync(p, port);
                TimeSpan cpu0 = p.TotalProcessorTime;
                var wall = Stopwatch.StartNew();
                long acked = await LoadAsync(port, secure, clients, messages, payload);
                double seconds = wall.Elapsed.TotalSeconds;
                p.Refresh();
                double cpuUs = (p.TotalProcessorTime - cpu0).TotalMilliseconds * 1000 / Math.Max(acked, 1);
                p.Refresh();
                long rssMb = p.WorkingSet64 / (1024 * 1024);
                string row = string.Create(C, $"| {server} | {(secure ? "TLS" : "plain")} | {acked / seconds:N0} | {cpuUs:0.0} µs | {rssMb} MB |");
                Console.WriteLine(row);
                rows.Add(row);
                p.Kill(entireProcessTree: true);
                await p.WaitForExitAsync();
            }
        }

        await BenchTable.WriteAsync(
            $"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {clients} clients × {messages:N0} QoS 1 publishes of {payload.Length} bytes (each client waits for its PUBACK), no subscriber, loopback",
            "| server | link | messages/s | server CPU per message | server RSS after |", rows, results);
        return 0;
    }

    private static Process Start(string server, int port, bool secure, TlsFiles tls)
    {
        ProcessStartInfo psi;
        if (server == "mosquitto")
        {
            string conf = Path.Combine(Path.GetTempPath(), $"floor-mosquitto-{port}.conf");
            File.WriteAllText(conf, $"""
                listener {port} 127.0.0.1
                {(secure ? $"cafile {tls.CaPem}\ncertfile {tls.CertPem}\nkeyfile {tls.KeyPem}" : string.Empty)}
                allow_anonymous true
                persistence false
                max_inflight_messages 100
                log_dest none
                """);
            psi = new ProcessStartInfo(MosquittoBroker.Executable, ["-c", conf]);
        }
        else
        {
            psi = new ProcessStartInfo(Environment.ProcessPath!, ["floor-server", server, port.ToString(C), secure ? tls.Pfx : "-", tls.PfxPassword]);
        }

        psi.RedirectStandardOutput = true;
        psi.RedirectStandardError = true;
        Process p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static async Task WaitListeningAsync(Process p, int port)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until && !p.HasExited)
        {
            try
            {
                using var probe = new System.Net.Sockets.TcpClient();
                await probe.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"the server on {port} did not start");
    }

    private static async Task<long> LoadAsync(int port, bool secure, int clients, int messages, byte[] payload)
    {
        var factory = new MqttClientFactory();
        var connected = new List<IMqttClient>();
        for (int i = 0; i < clients; i++)
        {
            IMqttClient c = factory.CreateMqttClient();
            MqttClientOptionsBuilder b = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId($"floor-{i:D4}")
                .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(30));
            if (secure)
            {
                // The bench's own CA: the client checks nothing here but pays the full TLS cost.
                b = b.WithTlsOptions(o => o.UseTls().WithCertificateValidationHandler(_ => true));
            }

            await c.ConnectAsync(b.Build());
            connected.Add(c);
        }

        long acked = 0;
        await Task.WhenAll(connected.Select((c, i) => Task.Run(async () =>
        {
            MqttApplicationMessage m = new MqttApplicationMessageBuilder().WithTopic($"edgesensors/floor-{i:D4}/telemetry").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
            for (int k = 0; k < messages; k++)
            {
                if ((await c.PublishAsync(m)).IsSuccess)
                {
                    Interlocked.Increment(ref acked);
                }
            }
        })));
        foreach (IMqttClient c in connected)
        {
            await c.DisconnectAsync();
            c.Dispose();
        }

        return acked;
    }

    /// <summary>The child process: MQTTnet's server alone on its TCP transport or on Kestrel, until killed.</summary>
    public static async Task<int> ServeAsync(string kind, int port, string pfx, string password)
    {
        X509Certificate2? cert = pfx == "-" ? null : X509CertificateLoader.LoadPkcs12FromFile(pfx, password);
        if (kind == "mqttnet-tcp")
        {
            var b = new MqttServerOptionsBuilder().WithPersistentSessions(false);
            b = cert == null
                ? b.WithDefaultEndpoint().WithDefaultEndpointBoundIPAddress(IPAddress.Loopback).WithDefaultEndpointPort(port)
                : b.WithoutDefaultEndpoint().WithEncryptedEndpoint().WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback).WithEncryptedEndpointPort(port).WithEncryptionCertificate(cert);
            using MqttServer server = new MqttServerFactory().CreateMqttServer(b.Build());
            await server.StartAsync();
            await Task.Delay(Timeout.Infinite);
            return 0;
        }

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(o => o.Listen(IPAddress.Loopback, port, l =>
        {
            if (cert != null)
            {
                l.UseHttps(cert);
            }

            l.UseMqtt();
        }));
        builder.Services.AddHostedMqttServer(o => o.WithoutDefaultEndpoint().WithPersistentSessions(false)).AddMqttConnectionHandler().AddConnections();
        WebApplication app = builder.Build();
        await app.RunAsync();
        return 0;
    }
}
