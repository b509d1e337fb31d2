using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;
using MQTTnet;
using MQTTnet.Protocol;
using static EdgeSensors.Bench.BridgeBench;

namespace EdgeSensors.Bench;

/// <summary>
/// Drain (issue 12): the IOC is down while N readings are stored at the edge (nodes batching samples as they do after
/// an outage), then the IOC comes back and the backlog drains. Half-way through the drain something urgent happens:
/// at the gateway a node reports a sensor fault, which raises an alert; at the bridge (which has no alerts) the same
/// node publishes a fresh reading. Printed per side: fill rate, drain rate (readings/s from the IOC's return to the
/// last reading at the upstream), how long the urgent message took to reach the upstream, lost, duplicates, CPU per
/// 1,000 drained, peak RSS and store bytes per reading.
/// The upstream keeps a persistent session for the counter across its own outage, so nothing the edge sends the
/// moment the upstream is back is missed by the count.
/// </summary>
public static class DrainBench
{
    public static async Task<int> RunAsync(int nodes, int total, string? resultsFile)
    {
        if (!Prerequisites(out string mosquitto, out string gatewayDll))
        {
            return 1;
        }

        Console.WriteLine($"drain benchmark: {total:N0} readings from {nodes} nodes stored while the upstream is down, then drained; {Environment.ProcessorCount} cores, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC");
        Result bridge = await SideAsync(new MosquittoBridgeEdge(mosquitto), mosquitto, nodes, total);
        Result gateway = await SideAsync(new GatewayEdge(gatewayDll), mosquitto, nodes, total);
        string table = string.Join('\n',
            "| edge | fill readings/s | drain readings/s | urgent message mid-drain → upstream, ms | acked but lost | duplicates | CPU s / 1,000 drained | peak RSS MB | store bytes / reading |",
            "|---|---|---|---|---|---|---|---|---|",
            Row("Mosquitto bridge (persistence on), fresh reading", bridge),
            Row("EdgeSensors gateway, sensor-fault alert", gateway),
            $"| ratio gateway / bridge | {gateway.FillRate / bridge.FillRate:F2} × | {gateway.DrainRate / bridge.DrainRate:F2} × | | | | {gateway.CpuPer1000 / bridge.CpuPer1000:F2} × | | |") + "\n";
        Console.WriteLine(table);
        await AppendResultsAsync(resultsFile, $"drain, {total:N0} readings from {nodes} nodes", table);
        return 0;

        static string Row(string name, Result r) =>
            $"| {name} | {r.FillRate,8:F0} | {r.DrainRate,8:F0} | {r.UrgentMs,8:F0} | {r.Lost} | {r.Duplicates} | {r.CpuPer1000,7:F3} | {r.PeakRssMb,5:F0} | {r.StoreBytesPerReading,5:F0} |";
    }

    private sealed record Result(double FillRate, double DrainRate, double UrgentMs, long Lost, long Duplicates, double CpuPer1000, double PeakRssMb, double StoreBytesPerReading);

    private static async Task<Result> SideAsync(IEdge edge, string mosquitto, int nodes, int total)
    {
        string dir = Path.Combine(Path.GetTempPath(), "es-drain-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dir);
        try
        {
            int upstreamPort = FreePort();
            string upDir = Path.Combine(dir, "upstream");
            string upConf = $"listener {upstreamPort} 127.0.0.1\nallow_anonymous true\nset_tcp_nodelay true\npersistence true\npersistence_location {upDir}/\nmax_queued_messages 0\nmax_inflight_messages 0\n";
            Process upstream = StartMosquitto(mosquitto, upDir, upConf);
            await WaitListeningAsync(upstreamPort);
            var counter = new UpstreamCounter();
            await counter.StartAsync(upstreamPort, persistentSession: true);
            await counter.PauseAsync();
            await TerminateAsync(upstream);
            upstream.Dispose();

            string[] ids = Enumerable.Range(1, nodes).Select(i => $"bench-{i:D4}").ToArray();
            Dictionary<string, string> secrets = await edge.StartAsync(Path.Combine(dir, "edge"), upstreamPort, ids);
            var acked = new ConcurrentDictionary<(string, uint), bool>();

            // Fill: every node sends its share in as few messages as fit in 8 KiB, as a node emptying its outbox does.
            var fill = Stopwatch.StartNew();
            int share = total / nodes;
            int lastPrinted = 0;
            using var progress = new Timer(_ =>
            {
                int now = acked.Count;
                if (now - lastPrinted >= 100_000)
                {
                    lastPrinted = now;
                    Console.WriteLine($"  {edge.Name}: {now:N0} of {total:N0} stored ({fill.Elapsed.TotalSeconds:F0} s)");
                }
            }, null, 1000, 1000);
            IMqttClient[] clients = await Task.WhenAll(ids.Select(id => ConnectAsync(edge.Port, id, secrets.GetValueOrDefault(id, string.Empty))));
            await Task.WhenAll(ids.Select((id, i) => FillAsync(clients[i], id, share, acked)));
            double fillRate = acked.Count / fill.Elapsed.TotalSeconds;
            Console.WriteLine($"  {edge.Name}: {acked.Count:N0} stored in {fill.Elapsed.TotalSeconds:F1} s; the upstream returns");

            // Drain.
            double cpuBefore = edge.Usage().Cpu;
            upstream = StartMosquitto(mosquitto, upDir, upConf);
            await WaitListeningAsync(upstreamPort);
            await counter.ResumeAsync();
            var drain = Stopwatch.StartNew();
            while (counter.Unique < acked.Count / 2 && drain.Elapsed < TimeSpan.FromMinutes(10))
            {
                await Task.Delay(10);
            }

            long urgentAt = Stopwatch.GetTimestamp();
            uint marker = (uint)share + 1;
            bool gateway = edge is GatewayEdge;
            long expected = gateway ? acked.Count : acked.Count + 1;
            await UrgentAsync(clients[0], ids[0], marker, gateway);
            int last = -1;
            var quiet = Stopwatch.StartNew();
            while (counter.Unique < expected && quiet.Elapsed < TimeSpan.FromSeconds(15))
            {
                await Task.Delay(50);
                if (counter.Unique != last)
                {
                    last = counter.Unique;
                    quiet.Restart();
                }
            }

            long urgentArrived = gateway ? counter.AlertArrivedAt(ids[0], "sensor_fault", urgentAt) : counter.ArrivedAt((ids[0], marker));
            double urgentMs = urgentArrived == 0 ? double.NaN : Stopwatch.GetElapsedTime(urgentAt, urgentArrived).TotalMilliseconds;
            double drainSeconds = counter.LastAt.TotalSeconds;
            (double cpu, double rss) = edge.Usage();
            long lost = acked.Keys.LongCount(k => !counter.Seen(k));
            Console.WriteLine($"  {edge.Name}: {counter.Unique:N0} at the upstream in {drainSeconds:F1} s ({counter.Duplicates} duplicates), {lost} acknowledged but lost, urgent message after {urgentMs:F0} ms");
            var result = new Result(fillRate, counter.Unique / drainSeconds, urgentMs, lost, counter.Duplicates, (cpu - cpuBefore) / Math.Max(1, counter.Unique) * 1000, rss, (double)DirectoryBytes(Path.Combine(dir, "edge")) / Math.Max(1, acked.Count));
            foreach (IMqttClient c in clients)
            {
                c.Dispose();
            }

            await counter.DisposeAsync();
            await edge.DisposeAsync();
            upstream.Kill();
            upstream.Dispose();
            return result;
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

    private static async Task<IMqttClient> ConnectAsync(int port, string id, string secret)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId(id)
            .WithCredentials(id, secret).WithCleanSession(true).WithTimeout(TimeSpan.FromSeconds(30)).Build());
        return client;
    }

    private static async Task FillAsync(IMqttClient client, string id, int share, ConcurrentDictionary<(string, uint), bool> acked)
    {
        const uint Boot = 7;
        long ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - share;
        var reading = new Reading { SalinityPpt = 1.82, EcMsCm = 3.61, WaterTempC = 28.4, LevelM = 0.82, AirPressureHpa = 1008.2, AirTempC = 31.2, HumidityPct = 71 };
        for (uint seq = 1; seq <= share;)
        {
            Sample[] batch = Enumerable.Range(0, (int)Math.Min(64, share - seq + 1)).Select(i => new Sample(Boot, seq + (uint)i, ts + seq + i, true, reading)).ToArray();
            byte[] payload = TelemetryEncoder.Encode(id, batch, 3.9, -60, Topics.MaxPayloadBytes, out int included);
            MqttClientPublishResult r = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Telemetry(id)).WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            if (!r.IsSuccess)
            {
                throw new InvalidOperationException($"{id}: {r.ReasonCode} {r.ReasonString}");
            }

            for (int i = 0; i < included; i++)
            {
                acked[(id, seq + (uint)i)] = true;
            }

            seq += (uint)included;
        }
    }

    /// <summary>The urgent thing mid-drain: a sensor fault (the gateway raises an alert) or a fresh reading (the bridge forwards it).</summary>
    private static async Task UrgentAsync(IMqttClient client, string id, uint seq, bool gateway)
    {
        MqttApplicationMessage message = gateway
            ? new MqttApplicationMessageBuilder().WithTopic(Topics.Status(id)).WithRetainFlag(true)
                .WithPayload(Encoding.UTF8.GetBytes($"{{\"v\":1,\"node\":\"{id}\",\"online\":true,\"boot\":7,\"faults\":[\"ec_ms_cm:open_probe\"]}}"))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()
            : new MqttApplicationMessageBuilder().WithTopic(Topics.Telemetry(id))
                .WithPayload(TelemetryEncoder.Encode(id, [new Sample(7, seq, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), true, new Reading { SalinityPpt = 4.2 })], 3.9, -60, Topics.MaxPayloadBytes, out _))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        try
        {
            await client.PublishAsync(message);
        }
        catch (SocketException ex)
        {
            Console.Error.WriteLine($"  urgent publish failed: {ex.Message}");
        }
    }
}
