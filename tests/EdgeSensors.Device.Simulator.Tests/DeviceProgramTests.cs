using System.Text.Json;
using EdgeSensors.Device.Simulator.Board;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>
/// firmware/EdgeSensors.Device's Program.Main, unchanged, on the simulated board against a real gateway process over
/// TLS with the gateway's own CA: boots, deep sleeps (the program restarted each time, its RAM gone), Wi-Fi outages,
/// power cuts in the middle of a flash write, and a battery that falls below the cutoff and recovers.
/// </summary>
public sealed class DeviceProgramTests(ITestOutputHelper output)
{
    private const int Interval = 60;

    [Fact]
    public async Task A_fresh_node_boots_and_its_readings_reach_the_IOC_through_20_deep_sleeps()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        List<string> problems = await BoardScenarios.BootAndSleepAsync(rig, Programs.Current, sleeps: 20, Interval);
        output.WriteLine(rig.Board.Tail(25));
        Assert.True(problems.Count == 0, string.Join("\n", problems));

        // One boot id throughout: deep sleep continues the boot and its seq.
        Assert.Single(rig.AtIoc.Keys.Select(k => k.Boot).Distinct());

        // The first TLS connection waited for SNTP instead of failing on the unset clock.
        Assert.Equal(0, rig.Count("tls_refused"));
        Assert.Equal("reset", rig.Board.Events.First(e => e.Kind == "boot").Detail);
        Assert.Contains(rig.Statuses(), s => s.GetProperty("reset").GetString() == "power_on");
        Assert.Contains(rig.Statuses(), s => s.GetProperty("reset").GetString() == "deep_sleep");
    }

    [Fact]
    public async Task The_BME280_is_set_up_again_after_every_power_up_of_the_sensor_rail()
    {
        // Always on (mains): one program run, the sensor rail cycled for every sample.
        await using NodeRig rig = await NodeRig.StartAsync(Interval, PowerMode.AlwaysOn);
        List<string> problems = await BoardScenarios.AirReadingsAsync(rig, Programs.Current, readings: 4);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Single(rig.Board.Events, e => e.Kind == "boot");
    }

    [Fact]
    public async Task Control_a_BME280_binding_kept_across_rail_power_cycles_reports_the_reset_chip_as_valid()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval, PowerMode.AlwaysOn);
        List<string> problems = await BoardScenarios.AirReadingsAsync(rig, Programs.BindingKeptAcrossPowerCycles(), readings: 4);
        Assert.Contains(problems, p => p.Contains("skipped", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_Wi_Fi_outage_across_five_wakes_is_delivered_afterwards_in_order()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        SimulatedBoard board = rig.Board;
        board.PowerOn(Programs.Current);
        await board.WaitForAsync(_ => rig.AtIoc.Count >= 2, BoardScenarios.Patience, "two readings at the IOC");

        board.WifiInRange = false;
        int sleeps = rig.Count("deep_sleep");
        await board.WaitForAsync(_ => rig.Count("deep_sleep") >= sleeps + 5, BoardScenarios.Patience, "five wakes without Wi-Fi");
        int before = rig.AtIoc.Count;
        int restored = board.Events.Count;
        board.WifiInRange = true;
        await board.WaitForAsync(_ => rig.AtIoc.Count >= before + 6, BoardScenarios.Patience, "the outage's readings at the IOC");

        // The first message after the outage starts with the oldest reading kept, and the node sends in seq order.
        List<(uint Boot, uint Seq)> after = rig.Published(restored);
        Assert.Equal((uint)before + 1, after[0].Seq);
        Assert.Equal(after.OrderBy(x => x.Seq), after);
        List<string> problems = [.. BoardScenarios.SequenceProblems(rig)];
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.True(rig.Count("wifi_fail", 0) >= 5, "the node did try while the access point was gone");
    }

    [Fact]
    public async Task A_power_cut_in_the_middle_of_an_outbox_write_loses_no_acknowledged_reading()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        SimulatedBoard board = rig.Board;
        board.PowerOn(Programs.Current);
        await board.WaitForAsync(_ => rig.AtIoc.Count >= 3, BoardScenarios.Patience, "three readings at the IOC");
        uint firstBoot = rig.AtIoc.Keys.First().Boot;

        board.Flash.CutPowerAfter("outbox.bin", 7);
        await board.WaitForAsync(b => b.Events.Any(e => e.Kind == "halt" && e.Detail.Contains("flash write", StringComparison.Ordinal)), BoardScenarios.Patience, "the power cut inside a write");
        int acknowledgedBefore = rig.AtIoc.Count;
        List<(uint Boot, uint Seq)> publishedBefore = rig.Published();
        board.RestorePower();
        await board.WaitForAsync(_ => rig.AtIoc.Keys.Count(k => k.Boot != firstBoot) >= 2, BoardScenarios.Patience, "readings of the boot after the power cut");

        // Everything the node had sent before the cut is at the IOC, the outbox file still opens after the torn write,
        // and the node says why it restarted.
        Assert.All(publishedBefore, id => Assert.True(rig.AtIoc.ContainsKey(id), $"boot {id.Boot} seq {id.Seq} was sent before the cut and is not at the IOC"));
        Assert.True(acknowledgedBefore >= 3);
        List<string> problems = [.. BoardScenarios.SequenceProblems(rig)];
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        Assert.Contains(rig.Statuses(), s => s.GetProperty("reset").GetString() == "unexpected");
    }

    [Fact]
    public async Task Below_the_cutoff_the_node_says_so_once_and_stays_off_the_radio_across_restarts_until_the_cell_recovers()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        List<string> problems = await BoardScenarios.BatteryCutoffAsync(rig, Programs.Current);
        output.WriteLine(rig.Board.Tail(30));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task A_half_empty_cell_refuses_a_shorter_interval_from_its_retained_config_and_the_gateway_hears_why()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        SimulatedBoard board = rig.Board;
        board.Battery.SetVolts(3.70); // ≈ 1,130 mAh left above the cutoff: 540 s is the shortest it can pay for 30 days
        board.PowerOn(Programs.Current);
        await board.WaitForAsync(_ => rig.AtIoc.Count >= 1, BoardScenarios.Patience, "a reading at the IOC");

        // An operator (or the gateway's planner) asks for half the interval: the retained config reaches the node at its next wake.
        HttpResponseMessage set = await rig.Chain.Gateway.Http.PutAsync($"/api/nodes/{NodeRig.NodeId}/config",
            new StringContent($"{{\"v\":1,\"interval_s\":{Interval / 2}}}", System.Text.Encoding.UTF8, "application/json"));
        Assert.True(set.IsSuccessStatusCode, await set.Content.ReadAsStringAsync());
        await board.WaitForAsync(b => rig.Statuses().Any(s => s.TryGetProperty("config_error", out _)), BoardScenarios.Patience, "the refusal in the node's status");
        JsonElement status = rig.Statuses().Last(s => s.TryGetProperty("config_error", out _));
        output.WriteLine(status.GetRawText());
        Assert.StartsWith($"interval_s {Interval / 2} refused: battery 3.", status.GetProperty("config_error").GetString(), StringComparison.Ordinal);
        Assert.Equal(Interval, status.GetProperty("interval_s").GetInt32());

        // The gateway hears it: logged and audited as the node's own word.
        await rig.Chain.Gateway.WaitForLogAsync($"Node {NodeRig.NodeId} refused its config", BoardScenarios.Patience);
        JsonElement audit = await System.Net.Http.Json.HttpClientJsonExtensions.GetFromJsonAsync<JsonElement>(rig.Chain.Gateway.Http, "/api/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "node_config_refused" && e.GetProperty("account").GetString() == NodeRig.NodeId);

        // And the node keeps its schedule: still publishing at its own interval.
        int before = rig.AtIoc.Count;
        await board.WaitForAsync(_ => rig.AtIoc.Count >= before + 2, BoardScenarios.Patience, "two more readings at the old interval");
    }

    [Fact]
    public async Task Control_the_old_boot_order_leaves_the_node_silent()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        rig.Board.PowerOn(Programs.OldBootOrder());
        await rig.Board.WaitForAsync(b => b.Events.Any(e => e.Kind == "console" && e.Detail.Contains("cannot start", StringComparison.Ordinal)) || b.Events.Any(e => e.Kind == "program_ended"), BoardScenarios.Patience, "the node giving up at boot");
        Assert.Empty(rig.AtIoc);
        Assert.Equal(0, rig.Count("wifi_join"));
    }

    [Fact]
    public async Task Control_a_schedule_on_DateTime_UtcNow_jumps_when_SNTP_sets_the_clock()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        List<string> problems = await BoardScenarios.BootAndSleepAsync(rig, Programs.ClockFromRtc(), sleeps: 3, Interval);
        Assert.Contains(problems, p => p.Contains("slept", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Control_a_cutoff_kept_only_in_RAM_announces_again_and_uses_the_radio()
    {
        await using NodeRig rig = await NodeRig.StartAsync(Interval);
        List<string> problems = await BoardScenarios.BatteryCutoffAsync(rig, Programs.CutoffInRam());
        Assert.Contains(problems, p => p.Contains("Wi-Fi joins while cut off", StringComparison.Ordinal) || p.Contains("announcements", StringComparison.Ordinal));
    }
}
