using System.Diagnostics;
using System.Globalization;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Bench;

/// <summary>
/// Issue 14, "scale beyond one machine, shown on one": a three-node RabbitMQ cluster on loopback (distinct node
/// names and ports, one Erlang cookie), a quorum queue replicated on all three, a gateway publishing the nodes' load
/// into it through the MQTT plugin, several ingest instances consuming into PostgreSQL — and the RabbitMQ node that
/// leads the queue's Raft group stopped mid-stream, so a new leader is elected while readings flow. Prints readings/s into PostgreSQL and
/// the lost and duplicated counts.
/// </summary>
public static class IocClusterBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    public static async Task<int> RunAsync(int nodes, int seconds, int ingests, string? results)
    {
        var clock = Stopwatch.StartNew();
        void Say(string text) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {text}");

        string cookie = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var pg = new PostgresServer();
        var rabbits = Enumerable.Range(1, 3).Select(i => new RabbitMqBroker($"esbench{i}@localhost", cookie)).ToList();
        try
        {
            Say("starting PostgreSQL and three RabbitMQ nodes …");
            await Task.WhenAll(rabbits.Select(r => r.StartAsync()).Append(pg.StartAsync()));
            Say("clustering: rabbit2 and rabbit3 join rabbit1 …");
            await rabbits[1].JoinClusterAsync(rabbits[0]);
            await rabbits[2].JoinClusterAsync(rabbits[0]);
            Say((await rabbits[0].CtlAsync("cluster_status", "--formatter", "json")).Length > 0 ? "cluster formed" : "cluster status empty");

            // Each ingest instance connects first to a different node and knows the others.
            var ingest = new List<IngestProcess>();
            for (int i = 0; i < ingests; i++)
            {
                RabbitMqBroker first = rabbits[(2 + i) % 3];
                var settings = new Dictionary<string, string>
                {
                    ["Ingest:Source"] = "rabbitmq",
                    ["Ingest:RabbitMq:Host"] = "127.0.0.1",
                    ["Ingest:RabbitMq:Port"] = first.AmqpPort.ToString(C),
                    ["Ingest:Store:Kind"] = "postgres",
                    ["Ingest:Store:PostgresConnectionString"] = pg.ConnectionString,
                    ["Logging:LogLevel:Default"] = "Warning",
                };
                int k = 0;
                foreach (RabbitMqBroker other in rabbits.Where(r => r != first))
                {
                    settings[$"Ingest:RabbitMq:MoreHosts:{k++}"] = $"127.0.0.1:{other.AmqpPort}";
                }

                var p = new IngestProcess($"bench-ingest-{i + 1}", settings);
                ingest.Add(p);
                await p.StartAsync();
                if (i == 0)
                {
                    await Task.Delay(3000); // the queue exists before the others and the gateway come
                }
            }

            string queue = (await rabbits[0].CtlAsync("list_queues", "name", "type", "leader", "members")).Trim().Split('\n').Last();
            Say($"{ingests} ingest instances consuming; queue: {queue}");
            // The node stopped mid-stream is the queue's Raft leader, so a new leader must be elected while readings
            // flow; the gateway publishes into another node's MQTT plugin (its uplink names one host).
            RabbitMqBroker victim = rabbits.FirstOrDefault(r => queue.Split('\t').ElementAtOrDefault(2) == r.NodeName) ?? rabbits[2];
            RabbitMqBroker entry = rabbits.First(r => r != victim);
            using var dir = new TempDir();
            await using var gateway = new GatewayProcess(dir.Path, entry.Port, new Dictionary<string, string>(RabbitMqBroker.GatewaySettings) { ["Logging:LogLevel:Default"] = "Warning" });
            await gateway.StartAsync();
            var fleet = new List<ResilientNode>();
            for (int i = 0; i < nodes; i++)
            {
                string id = $"hg-bench-{i:D3}";
                fleet.Add(new ResilientNode(id, await gateway.RegisterNodeAsync(id), () => gateway.MqttPort));
            }

            using var generate = new CancellationTokenSource();
            using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(seconds + 600));
            Say($"{nodes} nodes publishing for {seconds} s (a sample every 20 ms each) through the gateway into {entry.NodeName}'s MQTT plugin");
            Task[] running = fleet.Select(n => Task.Run(() => n.RunAsync(TimeSpan.FromMilliseconds(20), generate.Token, stop.Token))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(seconds / 3.0));
            Say($"stopping {victim.NodeName}, the queue's leader (SIGTERM), with {fleet.Sum(n => n.Acknowledged.Count)} readings acknowledged");
            await victim.StopAsync();
            Say("queue now: " + (await entry.CtlAsync("list_queues", "name", "leader", "members")).Trim().Split('\n').Last());
            await Task.Delay(TimeSpan.FromSeconds(seconds * 2 / 3.0));
            generate.Cancel();
            await Task.WhenAll(running);
            int acknowledged = fleet.Sum(n => n.Acknowledged.Count);
            Say($"nodes stopped: {acknowledged} readings acknowledged by the gateway; waiting for PostgreSQL to hold them all");
            DateTime until = DateTime.UtcNow.AddMinutes(5);
            long inDb = 0;
            while (DateTime.UtcNow < until && (inDb = long.Parse(await pg.SqlAsync("SELECT COUNT(*) FROM reading_ids"), C)) < acknowledged)
            {
                await Task.Delay(500);
            }

            string ids = await pg.SqlAsync("SELECT node || ':' || boot || ':' || seq FROM reading_ids");
            var stored = ids.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            int lost = fleet.Sum(n => n.Acknowledged.Count(seq => !stored.Contains($"{n.Id}:{n.Boot}:{seq}")));
            string[] f = (await pg.SqlAsync("SELECT (SELECT COUNT(*) FROM readings), (SELECT COUNT(*) FROM (SELECT 1 FROM readings GROUP BY site, node, boot, seq HAVING COUNT(*) > 1) d), (SELECT COALESCE(SUM(n), 0) FROM duplicates), EXTRACT(EPOCH FROM MAX(ingested_at) - MIN(ingested_at)) FROM readings")).Split('|');
            double span = double.Parse(f[3], C);
            double rate = span > 0 ? long.Parse(f[0], C) / span : 0;
            string summary = string.Create(C, $"| {DateTime.UtcNow:yyyy-MM-dd HH:mm} | {nodes} | {ingests} | {seconds} | {acknowledged:N0} | {long.Parse(f[0], C):N0} | {rate:N0} | {lost} | {f[1]} | {f[2]} | leader {victim.NodeName.Split('@')[0]} stopped at {seconds / 3} s |");
            Say($"readings into PostgreSQL: {long.Parse(f[0], C):N0} in {span:0.0} s = {rate:N0}/s; lost {lost}; stored twice {f[1]}; duplicates received (redeliveries, kept once) {f[2]}");
            Console.WriteLine();
            Console.WriteLine("| at (UTC) | nodes | ingest instances | seconds | acknowledged | in PostgreSQL | readings/s into PostgreSQL | lost | stored twice | duplicates received | fault |");
            Console.WriteLine("|---|---|---|---|---|---|---|---|---|---|---|");
            Console.WriteLine(summary);
            if (results != null)
            {
                await File.AppendAllTextAsync(results, summary + "\n");
            }

            foreach (ResilientNode n in fleet)
            {
                await n.DisposeAsync();
            }

            foreach (IngestProcess p in ingest)
            {
                await p.DisposeAsync();
            }

            return lost == 0 && f[1] == "0" ? 0 : 1;
        }
        finally
        {
            foreach (RabbitMqBroker r in rabbits)
            {
                await r.DisposeAsync();
            }
        }
    }
}
