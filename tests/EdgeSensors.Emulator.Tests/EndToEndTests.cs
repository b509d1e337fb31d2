using EdgeSensors.Emulator.Sim;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Emulator.Tests;

/// <summary>
/// The whole chain: an emulated fleet running the node logic, with faults, against the real gateway process, with a
/// real Mosquitto as the IOC. The emulator's report is reconciled with what the IOC received.
/// </summary>
public sealed class EndToEndTests(ITestOutputHelper output)
{
    [Fact]
    public async Task Every_sample_the_emulator_reports_acknowledged_is_at_the_IOC_once_by_id()
    {
        await using ChainRig rig = await ChainRig.StartAsync();
        (GatewayProcess gateway, IocRecorder recorder) = (rig.Gateway, rig.Recorder);

        var settings = new EmulatorSettings
        {
            Nodes = 12,
            Host = "127.0.0.1",
            Port = gateway.MqttPort,
            RegisterUrl = gateway.Http.BaseAddress,
            OperatorToken = GatewayProcess.OperatorToken,
            Duration = TimeSpan.FromMinutes(10),
            Speed = 20,
            IntervalSeconds = 5,
            Scenario = "dry-2020",
            Seed = 2026,
            Faults =
            [
                .. new[] { "wifi-drop=0.25", "reboot=0.2", "brown-out=0.2", "clock-unsynced=0.1", "clock-jump=0.1", "open-probe=0.1", "stuck-adc=0.1", "garbage=0.1", "oversize=0.1", "wrong-credentials=0.1", "foreign-topic=0.1", "flood=0.1" }.Select(FaultSpec.Parse),
            ],
        };
        await EmulatorRunner.RegisterAsync(settings, EmulatorRunner.Place(settings.Nodes, settings.IdPrefix, settings.Seed), TextWriter.Null, CancellationToken.None);
        using Fleet fleet = EmulatorRunner.Build(settings);
        var lines = new StringWriter();
        FleetReport report = await fleet.RunAsync(settings.Duration, TimeSpan.FromSeconds(5), lines, CancellationToken.None);
        output.WriteLine(lines.ToString());
        output.WriteLine($"generated {report.Generated}, acknowledged {report.Acknowledged}, queued {report.Queued}, dropped by outbox {report.DroppedByOutbox}; faults {string.Join(", ", report.FaultsInjected.Select(kv => $"{kv.Key} {kv.Value}"))}");

        Assert.True(report.Acknowledged > 500, "too little traffic to mean anything");
        Assert.Equal(12, report.FaultsInjected.Count);
        Assert.All(report.Nodes, n => Assert.Equal(n.Generated, n.Acknowledged + n.Queued + n.DroppedByOutbox));
        Assert.Contains(report.Nodes, n => n.Boots > 1);

        var acked = fleet.Nodes.SelectMany(n => n.AcknowledgedIds.Select(id => (n.Id, id.Boot, id.Seq))).ToList();
        Assert.Equal(report.Acknowledged, acked.Count);
        await recorder.WaitForAsync(r => acked.All(id => r.ReadingCounts.ContainsKey(id)), TimeSpan.FromSeconds(90), "every acknowledged sample");

        int duplicates = acked.Sum(id => recorder.ReadingCounts[id] - 1);
        output.WriteLine($"IOC: {recorder.ReadingCounts.Count} distinct readings, {duplicates} re-sent duplicates of acknowledged ids");
        // Counted once by id: a tester keying on (node, boot, seq) sees exactly the acknowledged set (plus, at most,
        // samples the gateway stored whose PUBACK a node never saw and still holds in its outbox).
        int extra = recorder.ReadingCounts.Keys.Count(k => !acked.Contains(k));
        Assert.True(extra <= report.Queued, $"{extra} readings at the IOC that no node reports as acknowledged or queued");

        // The gateway refused and counted the misbehaviour.
        Assert.True(await gateway.MetricAsync("edgesensors_refused_total", "malformed") >= 1);
        Assert.True(await gateway.MetricAsync("edgesensors_refused_total", "oversize") >= 1);
        Assert.True(await gateway.MetricAsync("edgesensors_refused_total", "bad_credentials") >= 1);
        Assert.True(await gateway.MetricAsync("edgesensors_refused_total", "foreign_topic") >= 1);
    }
}
