using EdgeSensors.Emulator.Sim;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Emulator.Tests;

/// <summary>The tester's fleet against a default gateway: TLS only, each emulated node trusting the gateway's CA as a provisioned node does.</summary>
public sealed class TlsFleetTests
{
    [Fact]
    public async Task An_emulated_fleet_delivers_over_TLS_to_a_gateway_without_plain_MQTT()
    {
        await using ChainRig rig = await ChainRig.StartAsync(new Dictionary<string, string> { ["Broker:AllowPlaintext"] = "false" });
        var settings = new EmulatorSettings
        {
            Nodes = 3,
            Host = "127.0.0.1",
            Port = rig.Gateway.TlsPort,
            CaPem = await File.ReadAllTextAsync(rig.Gateway.CaPath),
            RegisterUrl = rig.Gateway.Http.BaseAddress,
            OperatorToken = GatewayProcess.OperatorToken,
            Duration = TimeSpan.FromMinutes(2),
            Speed = 20,
            IntervalSeconds = 10,
            Scenario = "dry-2020",
            Seed = 7,
        };
        await EmulatorRunner.RegisterAsync(settings, EmulatorRunner.Place(settings.Nodes, settings.IdPrefix, settings.Seed), TextWriter.Null, CancellationToken.None);
        using Fleet fleet = EmulatorRunner.Build(settings);
        FleetReport report = await fleet.RunAsync(settings.Duration, TimeSpan.FromSeconds(5), TextWriter.Null, CancellationToken.None);
        Assert.True(report.Acknowledged >= 20, $"only {report.Acknowledged} acknowledged over TLS");
        var acked = fleet.Nodes.SelectMany(n => n.AcknowledgedIds.Select(id => (n.Id, id.Boot, id.Seq))).ToList();
        await rig.Recorder.WaitForAsync(r => acked.All(id => r.ReadingCounts.ContainsKey(id)), TimeSpan.FromSeconds(60), "every acknowledged sample at the IOC");
    }
}
