using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;
using MQTTnet;
using MQTTnet.Protocol;
using static EdgeSensors.Bench.BridgeBench;

namespace EdgeSensors.Bench;

/// <summary>
/// Scale (issue 12), per side in one run: (1) steady load — S nodes each publishing one reading a second for T
/// seconds: CPU per reading, RSS at the end and peak; (2) connections — C node connections opened (200 at a time) and
/// held: how long until all are accepted, how many were, RSS with all of them held. The steady phase runs first, on a
/// fresh process, so its RSS is not the connection phase's high-water mark.
/// </summary>
public static class ScaleBench
{
    public static async Task<int> RunAsync(int connections, int steadyNodes, int steadySeconds, string? resultsFile)
    {
        if (!Prerequisites(out string mosquitto, out string gatewayDll))
        {
            return 1;
        }

        Console.WriteLine($"scale benchmark: {steadyNodes} nodes × 1 reading/s for {steadySeconds} s, then {connections:N0} connections held; {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Result bridge = await SideAsync(new MosquittoBridgeEdge(mosquitto), mosquitto, connections, steadyNodes, steadySeconds);
        var gw = new GatewayEdge(gatewayDll);
        gw.Extra["Broker:MaxConnections"] = (connections + 100).ToString(System.Globalization.CultureInfo.InvariantCulture);
        gw.Extra["Broker:MaxConnectionsPerAddress"] = (connections + 100).ToString(System.Globalization.CultureInfo.InvariantCulture); // every node from 127.0.0.1
        Result gateway = await SideAsync(gw, mosquitto, connections, steadyNodes, steadySeconds);
        string table = string.Join('\n',
            $"| edge | steady: readings/s | CPU µs / reading | RSS MB at end | peak RSS MB | {connections:N0} connections: accepted | time to accept, s | RSS MB holding them |",
            "|---|---|---|---|---|---|---|---|",
            Row("Mosquitto bridge (persistence on)", bridge),
            Row("EdgeSensors gateway", gateway)) + "\n";
        Console.WriteLine(table);
        await AppendResultsAsync(resultsFile, $"scale, {steadyNodes} nodes × 1/s for {steadySeconds} s; {connections:N0} connections", table);
        return 0;

        static string Row(string name, Result r) =>
            $"| {name} | {r.SteadyRate,6:F0} | {r.CpuMicrosPerReading,6:F0} | {r.SteadyRssMb,5:F0} | {r.SteadyPeakMb,5:F0} | {r.Accepted:N0} | {r.AcceptSeconds,5:F1} | {r.ConnectionsRssMb,5:F0} |";
    }

    private sealed record Result(double SteadyRate, double CpuMicrosPerReading, double SteadyRssMb, double SteadyPeakMb, int Accepted, double AcceptSeconds, double ConnectionsRssMb);

    private static async Task<Result> SideAsync(IEdge edge, string mosquitto, int connections, int steadyNodes, int steadySeconds)
    {
        string dir = Path.Combine(Path.GetTempPath(), "es-scale-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            int upstreamPort = FreePort();
            using Process upstream = StartMosquitto(mosquitto, Path.Combine(dir, "upstream"), $"listener {upstreamPort} 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages 0\n");
            await WaitListeningAsync(upstreamPort);
            var counter = new UpstreamCounter();
            await counter.StartAsync(upstreamPort);
            string[] ids = Enumerable.Range(1, connections).Select(i => $"bench-{i:D5}").ToArray();
            var register = Stopwatch.StartNew();
            Dictionary<string, string> secrets = await edge.StartAsync(Path.Combine(dir, "edge"), upstreamPort, ids);
            Console.WriteLine($"  {edge.Name}: {ids.Length:N0} nodes registered in {register.Elapsed.TotalSeconds:F0} s");

            // Steady: S nodes, one reading a second each, QoS 1, awaiting the PUBACK.
            IMqttClient?[] steady = await OpenAsync(edge.Port, ids.Take(steadyNodes).ToArray(), secrets);
            double cpu0 = edge.Usage().Cpu;
            long published = 0;
            using (var stop = new CancellationTokenSource(TimeSpan.FromSeconds(steadySeconds)))
            {
                await Task.WhenAll(steady.Select((c, i) => c == null ? Task.CompletedTask : SteadyAsync(c, ids[i], () => Interlocked.Increment(ref published), stop.Token)));
            }

            await Task.Delay(2000);
            (double cpu1, double peak) = edge.Usage();
            double steadyRss = ProcRssMb(edge.Pid);
            Console.WriteLine($"  {edge.Name}: {published:N0} readings acknowledged in {steadySeconds} s, {counter.Unique:N0} at the upstream; RSS {steadyRss:F0} MB");
            await CloseAsync(steady);

            // Connections: open C at 200 at a time and hold them.
            var accept = Stopwatch.StartNew();
            IMqttClient?[] held = await OpenAsync(edge.Port, ids, secrets);
            double acceptSeconds = accept.Elapsed.TotalSeconds;
            int accepted = held.Count(c => c != null);
            await Task.Delay(3000);
            double heldRss = ProcRssMb(edge.Pid);
            Console.WriteLine($"  {edge.Name}: {accepted:N0} of {connections:N0} connections accepted in {acceptSeconds:F1} s; RSS {heldRss:F0} MB holding them");
            await CloseAsync(held);
            await counter.DisposeAsync();
            await edge.DisposeAsync();
            upstream.Kill();
            return new Result(published / (double)steadySeconds, (cpu1 - cpu0) / Math.Max(1, published) * 1e6, steadyRss, peak, accepted, acceptSeconds, heldRss);
        }
        finally
        {
            try
            {
                Directory.Delete(dir, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    private static async Task<IMqttClient?[]> OpenAsync(int port, string[] ids, Dictionary<string, string> secrets)
    {
        var clients = new IMqttClient?[ids.Length];
        using var gate = new SemaphoreSlim(200);
        var factory = new MqttClientFactory();
        var failures = new ConcurrentDictionary<string, int>();
        await Task.WhenAll(ids.Select(async (id, i) =>
        {
            await gate.WaitAsync();
            try
            {
                IMqttClient c = factory.CreateMqttClient();
                try
                {
                    await c.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id)
                        .WithCredentials(id, secrets.GetValueOrDefault(id, string.Empty)).WithCleanSession(true)
                        .WithKeepAlivePeriod(TimeSpan.FromMinutes(5)).WithTimeout(TimeSpan.FromSeconds(30)).Build());
                    clients[i] = c;
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or SocketException or InvalidOperationException)
                {
                    failures.AddOrUpdate(ex.GetType().Name + ": " + ex.Message, 1, (_, n) => n + 1);
                    c.Dispose();
                }
            }
            finally
            {
                gate.Release();
            }
        }));
        foreach ((string why, int n) in failures)
        {
            Console.WriteLine($"    {n} connects failed: {why}");
        }

        return clients;
    }

    private static async Task CloseAsync(IMqttClient?[] clients)
    {
        using var gate = new SemaphoreSlim(200);
        await Task.WhenAll(clients.Where(c => c != null).Select(async c =>
        {
            await gate.WaitAsync();
            try
            {
                if (c!.IsConnected)
                {
                    await c.DisconnectAsync();
                }
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or SocketException or InvalidOperationException)
            {
            }
            finally
            {
                c!.Dispose();
                gate.Release();
            }
        }));
    }

    private static async Task SteadyAsync(IMqttClient client, string id, Action acked, CancellationToken stop)
    {
        var reading = new Reading { SalinityPpt = 1.82, EcMsCm = 3.61, WaterTempC = 28.4, LevelM = 0.82, AirPressureHpa = 1008.2, AirTempC = 31.2, HumidityPct = 71 };
        // Spread the nodes over the second, as real nodes' clocks are.
        await Task.Delay(Random.Shared.Next(1000), CancellationToken.None);
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        uint seq = 0;
        try
        {
            do
            {
                seq++;
                byte[] payload = TelemetryEncoder.Encode(id, [new Sample(7, seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), true, reading)], 3.9, -60, Topics.MaxPayloadBytes, out _);
                MqttClientPublishResult r = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Telemetry(id)).WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), CancellationToken.None);
                if (r.IsSuccess)
                {
                    acked();
                }
            }
            while (await tick.WaitForNextTickAsync(stop));
        }
        catch (OperationCanceledException)
        {
        }
    }
}
