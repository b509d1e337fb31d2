using System.Text.Json;
using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>
/// What the node must do on the board, written once: each scenario drives the board and returns what went wrong
/// (empty when the node behaved). The tests assert the program as it is gets none, and that a planted fault gets some.
/// </summary>
public static class BoardScenarios
{
    public static readonly TimeSpan Patience = TimeSpan.FromSeconds(120);

    /// <summary>First boot from a fresh node.json, then <paramref name="sleeps"/> deep-sleep cycles.</summary>
    public static async Task<List<string>> BootAndSleepAsync(NodeRig rig, ProgramImage image, int sleeps, int intervalSeconds)
    {
        var problems = new List<string>();
        rig.Board.PowerOn(image);
        try
        {
            await rig.Board.WaitForAsync(b => b.Events.Count(e => e.Kind == "deep_sleep") >= sleeps && rig.AtIoc.Count >= sleeps + 1, Patience, $"{sleeps} deep sleeps and {sleeps + 1} readings at the IOC");
        }
        catch (TimeoutException e)
        {
            problems.Add(e.Message);
            return problems;
        }

        var boots = rig.Board.Events.Where(e => e.Kind == "boot").ToList();
        if (boots[0].Detail != "reset" || boots.Skip(1).Any(b => b.Detail != "timer wake-up"))
        {
            problems.Add("expected one power-on then only timer wake-ups: " + string.Join(", ", boots.Select(b => b.Detail)));
        }

        problems.AddRange(ScheduleProblems(rig, intervalSeconds));
        problems.AddRange(SequenceProblems(rig));
        if (rig.Count("program_ended") > 0 || rig.Board.Events.Any(e => e.Kind == "halt" && e.Detail.Contains("RebootDevice", StringComparison.Ordinal)))
        {
            problems.Add("the program ended or rebooted:\n" + rig.Board.Tail(30));
        }

        return problems;
    }

    /// <summary>
    /// <paramref name="readings"/> readings with air values: every measurement the BME280 made had its channels enabled
    /// (a rail power cycle resets them to "skipped") and every published air value is the datasheet example's.
    /// </summary>
    public static async Task<List<string>> AirReadingsAsync(NodeRig rig, ProgramImage image, int readings)
    {
        var problems = new List<string>();
        rig.Board.PowerOn(image);
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= readings, Patience, $"{readings} readings at the IOC");
        if (rig.Board.Bme280.SkippedMeasurements > 0)
        {
            problems.Add($"{rig.Board.Bme280.SkippedMeasurements} BME280 measurements with every channel skipped (settings lost with the rail)");
        }

        foreach (BoardEvent e in rig.Board.Events.Where(e => e.Kind == "publish" && e.Topic!.EndsWith("/telemetry", StringComparison.Ordinal)))
        {
            using JsonDocument doc = JsonDocument.Parse(e.Payload!);
            foreach (JsonElement s in doc.RootElement.GetProperty("samples").EnumerateArray())
            {
                JsonElement r = s.GetProperty("r");
                if (!r.TryGetProperty("air_temp_c", out JsonElement t) || t.GetDouble() < 25.0 || t.GetDouble() > 25.2
                    || !r.TryGetProperty("air_pressure_hpa", out JsonElement p) || p.GetDouble() < 1006.4 || p.GetDouble() > 1006.7)
                {
                    problems.Add($"seq {s.GetProperty("seq").GetUInt32()}: air values {r.GetRawText()} are not the chip's 25.08 °C / 1006.53 hPa");
                }
            }
        }

        return problems;
    }

    /// <summary>Each deep sleep lasts until the next sample is due: about the interval, less the time awake.</summary>
    public static IEnumerable<string> ScheduleProblems(NodeRig rig, int intervalSeconds) =>
        rig.Board.Events.Where(e => e.Kind == "deep_sleep" && (e.Number < intervalSeconds * 1000L / 2 || e.Number > intervalSeconds * 1000L))
            .Select(e => $"run #{e.Boot} slept {e.Number} ms; the interval is {intervalSeconds} s");

    /// <summary>Every boot's seqs at the IOC run 1..n without a gap, each stored once.</summary>
    public static IEnumerable<string> SequenceProblems(NodeRig rig)
    {
        foreach (IGrouping<uint, KeyValuePair<(uint Boot, uint Seq), int>> boot in rig.AtIoc.GroupBy(kv => kv.Key.Boot))
        {
            uint[] seqs = [.. boot.Select(kv => kv.Key.Seq).Order()];
            if (seqs[0] != 1 || seqs[^1] != seqs.Length)
            {
                yield return $"boot {boot.Key}: seqs at the IOC are {string.Join(",", seqs)}";
            }

            foreach (var twice in boot.Where(kv => kv.Value != 1))
            {
                yield return $"boot {boot.Key} seq {twice.Key.Seq} arrived {twice.Value} times";
            }
        }
    }

    /// <summary>
    /// The cell falls below the cutoff, sits in the hysteresis band, then recovers: one announcement, no Wi-Fi while
    /// cut off (across the restarts of deep sleep), and everything measured meanwhile delivered afterwards.
    /// </summary>
    public static async Task<List<string>> BatteryCutoffAsync(NodeRig rig, ProgramImage image)
    {
        var problems = new List<string>();
        SimulatedBoard board = rig.Board;
        board.PowerOn(image);
        await board.WaitForAsync(_ => rig.AtIoc.Count >= 2, Patience, "two readings at the IOC");

        board.Battery.SetVolts(3.20);
        await board.WaitForAsync(_ => rig.Statuses().Any(IsCutoff), Patience, "the low-battery announcement");
        int announced = board.Events.ToList().FindLastIndex(e => e.Kind == "publish" && e.Topic!.EndsWith("/status", StringComparison.Ordinal) && IsCutoff(JsonDocument.Parse(e.Payload!).RootElement)) + 1;
        int sleeps = rig.Count("deep_sleep");
        await board.WaitForAsync(_ => rig.Count("deep_sleep") >= sleeps + 3, Patience, "three more wakes below the cutoff");

        // 3.45 V: above the cutoff, below the resume level — still off the radio.
        board.Battery.SetVolts(3.45);
        sleeps = rig.Count("deep_sleep");
        await board.WaitForAsync(_ => rig.Count("deep_sleep") >= sleeps + 3, Patience, "three wakes in the hysteresis band");
        int joins = rig.Count("wifi_join", announced);
        if (joins > 0)
        {
            problems.Add($"{joins} Wi-Fi joins while cut off:\n{board.Tail(40)}");
        }

        board.Battery.SetVolts(3.80);
        int recovered = board.Events.Count;
        try
        {
            await board.WaitForAsync(_ => rig.Count("deep_sleep", recovered) >= 2 && rig.Published().Count > 0 && rig.Published().All(id => rig.AtIoc.ContainsKey(id)), Patience, "the backlog delivered after recovery");
        }
        catch (TimeoutException e)
        {
            problems.Add(e.Message);
        }

        int announcements = rig.Statuses().Count(IsCutoff);
        if (announcements != 1)
        {
            problems.Add($"{announcements} low-battery announcements; one is right");
        }

        problems.AddRange(SequenceProblems(rig));
        return problems;
    }

    private static bool IsCutoff(JsonElement status) =>
        status.TryGetProperty("faults", out JsonElement faults) && faults.ValueKind == JsonValueKind.Array
        && faults.EnumerateArray().Any(f => f.GetString() == "battery_v:low_cutoff");
}
