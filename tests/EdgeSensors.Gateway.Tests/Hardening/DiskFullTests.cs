using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>
/// Issue 15, scope 7: the data directory's disk fills for real (a tmpfs of its own, filled to the last block) while
/// nodes publish. What cannot be stored is not acknowledged; nothing acknowledged is lost; the condition is counted
/// and shown in /health; when space returns the gateway recovers by itself and every acknowledged reading reaches
/// the IOC.
/// </summary>
public sealed class DiskFullTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_disk_that_fills_under_load_loses_no_acknowledged_reading_and_the_gateway_recovers_when_space_returns()
    {
        // Fails (never passes silently) where a tmpfs cannot be mounted, saying why.
        using SmallDisk disk = SmallDisk.TryMount(24, out string why) ?? throw new InvalidOperationException(why);

        await using var ioc = new MosquittoBroker();
        await ioc.StartAsync();
        await using var recorder = new IocRecorder(ioc.Port);
        await recorder.StartAsync();
        await using var gateway = new GatewayProcess(Path.Combine(disk.Path, "data"), ioc.Port);
        await gateway.StartAsync();
        using var anonymous = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };

        var nodes = new List<ResilientNode>();
        for (int i = 0; i < 6; i++)
        {
            string id = $"hg-full-{i:D2}";
            nodes.Add(new ResilientNode(id, await gateway.RegisterNodeAsync(id), () => gateway.MqttPort));
        }

        using var generate = new CancellationTokenSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        Task[] running = nodes.Select(n => Task.Run(() => n.RunAsync(TimeSpan.FromMilliseconds(10), generate.Token, stop.Token))).ToArray();
        await ResilientNode.WhenAcknowledgedAsync(nodes, 500, TimeSpan.FromSeconds(60)); // flowing before the disk fills

        long filled = disk.Fill();
        int ackedAtFull = nodes.Sum(n => n.Acknowledged.Count);
        output.WriteLine($"disk filled with {filled / 1024} KiB more; {ackedAtFull} readings acknowledged so far");

        // Counted and shown.
        await WaitAsync(async () => await gateway.MetricAsync("edgesensors_store_disk_full_total") > 0, TimeSpan.FromSeconds(60), "a commit refused for a full disk");
        JsonElement health = await anonymous.GetFromJsonAsync<JsonElement>("/health");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains("store_disk_full", health.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.True((await gateway.HealthAsync()).GetProperty("store").GetProperty("disk_full").GetBoolean());

        // While it is full nothing new is acknowledged: the nodes keep what they generate.
        await Task.Delay(1500);
        int ackedFullA = nodes.Sum(n => n.Acknowledged.Count);
        await Task.Delay(3000);
        int ackedFullB = nodes.Sum(n => n.Acknowledged.Count);
        int pendingWhileFull = nodes.Sum(n => n.Pending);
        output.WriteLine($"while full: acknowledged {ackedFullA} → {ackedFullB}, {pendingWhileFull} waiting at the nodes");
        Assert.Equal(ackedFullA, ackedFullB);
        Assert.True(pendingWhileFull > 100, $"only {pendingWhileFull} readings waited at the nodes: the disk was not full for long");
        Assert.Null(gateway.ExitCode);

        // Space returns: the gateway recovers without anyone touching it.
        disk.Free();
        await WaitAsync(async () => (await anonymous.GetFromJsonAsync<JsonElement>("/health")).GetProperty("status").GetString() == "ok", TimeSpan.FromSeconds(60), "/health ok again");
        await ResilientNode.WhenAcknowledgedAsync(nodes, ackedFullB + 300, TimeSpan.FromSeconds(60)); // acknowledging again
        generate.Cancel();
        await Task.WhenAll(running);
        Assert.All(nodes, n => Assert.Equal(0, n.Pending));

        int acknowledged = nodes.Sum(n => n.Acknowledged.Count);
        await recorder.WaitForAsync(
            r => nodes.All(n => n.Acknowledged.All(seq => r.ReadingCounts.ContainsKey((n.Id, n.Boot, seq)))),
            TimeSpan.FromSeconds(120),
            "every acknowledged reading");
        int missing = nodes.Sum(n => n.Acknowledged.Count(seq => !recorder.ReadingCounts.ContainsKey((n.Id, n.Boot, seq))));
        output.WriteLine($"acknowledged {acknowledged}, generated {nodes.Sum(n => n.Generated)}, at the IOC {recorder.ReadingCounts.Count}, missing {missing}; commit failures {await gateway.MetricAsync("edgesensors_store_commit_failures_total")}");
        Assert.Equal(0, missing);
        Assert.Equal(nodes.Sum(n => n.Generated), acknowledged);
        Assert.Null(gateway.ExitCode);

        foreach (ResilientNode n in nodes)
        {
            await n.DisposeAsync();
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime end = DateTime.UtcNow + timeout;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < end, $"not reached within {timeout.TotalSeconds:F0} s: {what}");
            await Task.Delay(200);
        }
    }
}
