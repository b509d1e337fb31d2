using System.Text.Json;
using EdgeSensors.Device.Parts;
using EdgeSensors.Device.Simulator.Board;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>
/// The recommended MaxBotix MB7389 from the CLI's node.json to the IOC: the device program drives it with its own
/// trigger and timing rule (RMT), the board's part answers as its datasheet says, and the stored level is the water's.
/// The control is what the node did before: the HC-SR04 binding, whose 10 µs trigger the sensor ignores.
/// </summary>
public sealed class RangerChainTests
{
    [Fact]
    public async Task A_MaxSonar_fitted_as_maxsonar_gives_the_water_level_at_the_IOC()
    {
        List<JsonElement> samples = await RunAsync("maxsonar", distanceM: 1.2, minimumSamples: 2);
        foreach (JsonElement r in samples)
        {
            Assert.True(r.TryGetProperty("level_m", out JsonElement level), "a sample without level: " + r);
            Assert.InRange(level.GetDouble(), 1.8 - 0.006, 1.8 + 0.006); // ±5 mm triggered spread, 1 mm quantum
        }
    }

    [Fact]
    public async Task Water_inside_the_MaxSonar_s_minimum_range_is_flagged_not_published_as_a_level()
    {
        await using NodeRig rig = await PowerOnAsync("maxsonar", distanceM: 0.15);
        await rig.Board.WaitForAsync(_ => rig.Statuses().Any(s => Faults(s).Contains("level_m:out_of_range")), BoardScenarios.Patience, "a status flagging the level out of range");
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= 1, BoardScenarios.Patience, "a reading at the IOC");
        Assert.All(Samples(rig), r => Assert.False(r.TryGetProperty("level_m", out _), "a level published from the sensor's minimum range: " + r));
    }

    [Fact]
    public async Task Control_the_HC_SR04_binding_on_a_MaxSonar_gets_no_level()
    {
        await using NodeRig rig = await PowerOnAsync("ultrasonic", distanceM: 1.2);
        await rig.Board.WaitForAsync(_ => rig.Statuses().Any(s => Faults(s).Contains("level_m:no_response")), BoardScenarios.Patience, "a status flagging no response from the ranger");
        Assert.Contains(rig.Board.Events, e => e.Kind == "ranger" && e.Detail.Contains("no range cycle", StringComparison.Ordinal));
        Assert.All(Samples(rig), r => Assert.False(r.TryGetProperty("level_m", out _)));
    }

    /// <summary>A node provisioned by the CLI with <paramref name="source"/>, its face 3.0 m above datum, a MaxSonar <paramref name="distanceM"/> above the water.</summary>
    private static async Task<NodeRig> PowerOnAsync(string source, double distanceM)
    {
        NodeRig rig = await NodeRig.StartWithCliAsync(60, PowerMode.AlwaysOn, "--level-source", source, "--mount-elevation", "3.0");
        rig.Board.Ranger = new MaxSonarRanger { DistanceM = distanceM };
        rig.Board.PowerOn(Programs.Current);
        return rig;
    }

    private static async Task<List<JsonElement>> RunAsync(string source, double distanceM, int minimumSamples)
    {
        await using NodeRig rig = await PowerOnAsync(source, distanceM);
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= minimumSamples, BoardScenarios.Patience, $"{minimumSamples} readings at the IOC");
        return Samples(rig);
    }

    private static List<JsonElement> Samples(NodeRig rig) =>
        rig.Board.Events.Where(e => e.Kind == "publish" && e.Topic!.EndsWith("/telemetry", StringComparison.Ordinal))
            .SelectMany(e => JsonDocument.Parse(e.Payload!).RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("r").Clone()))
            .ToList();

    private static List<string> Faults(JsonElement status) =>
        status.TryGetProperty("faults", out JsonElement f) ? f.EnumerateArray().Select(x => x.GetString()!).ToList() : [];
}
