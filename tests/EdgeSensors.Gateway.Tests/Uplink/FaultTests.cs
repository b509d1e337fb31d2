using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>
/// Nothing acknowledged is lost: nodes stream readings while the gateway is killed with SIGKILL again and again and
/// the IOC broker goes away for a while; in the end the IOC holds every reading a node was told "received", keyed
/// by (node, boot, seq), and any duplicate is a re-send of the same id.
/// </summary>
public sealed class FaultTests(ITestOutputHelper output)
{
    private const int Window = 4;
    private const int PerMessage = 50;

    [Fact]
    public async Task After_repeated_SIGKILLs_and_an_IOC_outage_every_acknowledged_reading_is_at_the_IOC()
    {
        await using var ioc = new MosquittoBroker();
        await RunAsync(ioc.Port, ioc.StartAsync, ioc.StopAsync, new Dictionary<string, string>());
    }

    /// <summary>The same faults with RabbitMQ's MQTT plugin as the IOC broker (issue 13): persistent sessions are
    /// durable queues there, and the outage is a full stop and start of the RabbitMQ node.</summary>
    [RabbitMqFact]
    public async Task After_repeated_SIGKILLs_and_a_RabbitMQ_outage_every_acknowledged_reading_is_at_the_IOC()
    {
        await using var ioc = new RabbitMqBroker();
        await RunAsync(ioc.Port, ioc.StartAsync, ioc.StopAsync, new Dictionary<string, string>(RabbitMqBroker.GatewaySettings));
    }

    private async Task RunAsync(int iocPort, Func<Task> startIoc, Func<Task> stopIoc, Dictionary<string, string> settings)
    {
        await startIoc();
        await using var recorder = new IocRecorder(iocPort);
        await recorder.StartAsync();
        using var dir = new TempDir();
        settings["Uplink:InFlightWindow"] = Window.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Uplink:MaxReadingsPerMessage"] = PerMessage.ToString(System.Globalization.CultureInfo.InvariantCulture);
        await using var gateway = new GatewayProcess(dir.Path, iocPort, settings);
        await gateway.StartAsync();

        var nodes = new List<ResilientNode>();
        for (int i = 0; i < 6; i++)
        {
            string id = $"hg-fault-{i:D2}";
            nodes.Add(new ResilientNode(id, await gateway.RegisterNodeAsync(id), () => gateway.MqttPort));
        }

        using var generate = new CancellationTokenSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        Task[] running = nodes.Select(n => Task.Run(() => n.RunAsync(TimeSpan.FromMilliseconds(15), generate.Token, stop.Token))).ToArray();

        const int kills = 4;
        var random = new Random(42);
        for (int k = 0; k < kills; k++)
        {
            await Task.Delay(random.Next(1200, 2500));
            await gateway.KillAsync();
            output.WriteLine($"SIGKILL #{k + 1} after {nodes.Sum(n => n.Acknowledged.Count)} acknowledged readings");
            await Task.Delay(random.Next(200, 800));
            await gateway.StartAsync();
            if (k == 1)
            {
                await stopIoc();
                output.WriteLine("IOC broker stopped");
                await Task.Delay(3000);
                await startIoc();
                output.WriteLine("IOC broker restarted");
            }
        }

        await Task.Delay(1500);
        generate.Cancel();
        await Task.WhenAll(running);

        int acknowledged = nodes.Sum(n => n.Acknowledged.Count);
        Assert.True(acknowledged > 1000, $"only {acknowledged} readings acknowledged: the test did not exercise much");
        Assert.All(nodes, n => Assert.Equal(0, n.Pending));

        try
        {
            await recorder.WaitForAsync(
                r => nodes.All(n => n.Acknowledged.All(seq => r.ReadingCounts.ContainsKey((n.Id, n.Boot, seq)))),
                TimeSpan.FromSeconds(120),
                "every acknowledged reading");
        }
        catch (TimeoutException)
        {
            output.WriteLine("health: " + (await gateway.HealthAsync()).ToString());
            output.WriteLine("recorder: " + string.Join(" | ", recorder.Connections));
            foreach (ResilientNode n in nodes)
            {
                var miss = n.Acknowledged.Where(seq => !recorder.ReadingCounts.ContainsKey((n.Id, n.Boot, seq))).Order().ToList();
                output.WriteLine($"{n.Id}: {miss.Count} missing, e.g. {string.Join(",", miss.Take(20))}");
            }

            output.WriteLine(string.Join("\n", gateway.Output.Split('\n').Where(l => l.Contains("warn", StringComparison.Ordinal) || l.Contains("fail", StringComparison.Ordinal) || l.Contains("ERR", StringComparison.Ordinal)).TakeLast(30)));
            throw;
        }

        int missing = nodes.Sum(n => n.Acknowledged.Count(seq => !recorder.ReadingCounts.ContainsKey((n.Id, n.Boot, seq))));
        int duplicates = recorder.ReadingCounts.Values.Sum(c => c - 1);
        int unexpected = recorder.ReadingCounts.Keys.Count(k => !nodes.Any(n => n.Id == k.Node && n.Boot == k.Boot));
        output.WriteLine($"acknowledged {acknowledged}, at IOC {recorder.ReadingCounts.Count} distinct, missing {missing}, re-sent duplicates {duplicates} (bound {(kills + 1) * Window * PerMessage}: window {Window} x {PerMessage} readings per crash or outage)");
        Assert.Equal(0, missing);
        Assert.Equal(0, unexpected);
        Assert.True(duplicates <= (kills + 1) * Window * PerMessage, $"{duplicates} duplicates exceed the in-flight bound");
        Assert.Equal(0, await gateway.MetricAsync("edgesensors_readings_dropped_total"));

        foreach (ResilientNode n in nodes)
        {
            await n.DisposeAsync();
        }
    }
}
