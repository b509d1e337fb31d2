using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Emulator;
using EdgeSensors.Emulator.Sim;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Cli.Tests;

/// <summary>The calibration wizard, its prompts answered by a script, against an emulated node whose probe is dipped in standard solutions.</summary>
public sealed class CalibrateTests(ITestOutputHelper output)
{
    [Fact]
    public async Task The_wizard_fits_a_calibration_that_lands_in_the_registry_and_in_the_nodes_retained_config()
    {
        await using CalibrationRig rig = await CalibrationRig.StartAsync("cal", 9);
        (GatewayProcess gateway, EmulatedNode node) = (rig.Gateway, rig.Node);

        // Without a config at the gateway the wizard does not guess the node's present calibration.
        var (refused, _, why) = await CliProcess.RunAsync(["node", "calibrate", node.Id, "--technician", "Trần Thị Bình", "--timeout", "5",
            "--gateway-url", gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken]);
        Assert.NotEqual(0, refused);
        Assert.Contains("--node-json", why, StringComparison.Ordinal);

        using Wizard wizard = await rig.StartWizardAsync("Trần Thị Bình", "--sensor-elevation", node.Config.SensorElevationM.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Task WaitFor(string text) => wizard.WaitForAsync(text);
        var lines = wizard.Lines;

        await WaitFor("Step 1/3");
        node.Sensors.SolutionEc25 = 1.413;
        await wizard.Process.StandardInput.WriteLineAsync();
        await WaitFor("Step 2/3");
        node.Sensors.SolutionEc25 = 12.88;
        await wizard.Process.StandardInput.WriteLineAsync();
        await WaitFor("Step 3/3");
        node.Sensors.SolutionEc25 = null;
        await wizard.Process.StandardInput.WriteLineAsync("0,50");
        await wizard.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        output.WriteLine(string.Join("\n", lines));
        Assert.Equal(0, wizard.Process.ExitCode);

        // In the registry, with the date and the technician.
        JsonElement detail = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node.Id}");
        JsonElement cal = JsonDocument.Parse(detail.GetProperty("node").GetProperty("config").GetString()!).RootElement.GetProperty("calibration");
        Assert.Equal("Trần Thị Bình", cal.GetProperty("technician").GetString());
        Assert.StartsWith(DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), cal.GetProperty("calibrated_at").GetString(), StringComparison.Ordinal);
        double gain = cal.GetProperty("ec_gain").GetDouble();
        Assert.InRange(gain, 0.97, 1.03); // the simulated probe reads within ±1 % before calibration

        // In the node, through its retained config topic.
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (Math.Abs(node.Cycle.Config.EcGain - gain) > 1e-6 && DateTime.UtcNow < until)
        {
            await Task.Delay(200);
        }

        Assert.Equal(gain, node.Cycle.Config.EcGain, 6);
        Assert.Equal(cal.GetProperty("ec_offset").GetDouble(), node.Cycle.Config.EcOffset, 6);
        Assert.Equal("Trần Thị Bình", node.Cycle.Config.Technician);

        // The calibrated node now reads the standard as the standard, and the level as the gauge.
        // Each check waits for two more readings at the gateway after the change (the gateway's own counter, a signal),
        // so the one read was taken after it.
        async Task<JsonElement> NextReading()
        {
            double received = await gateway.MetricAsync("edgesensors_readings_received_total");
            await gateway.WaitForMetricAsync("edgesensors_readings_received_total", null, v => v >= received + 2, TimeSpan.FromSeconds(30), "two readings after the change");
            return (await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node.Id}?last=1")).GetProperty("last_readings")[0].GetProperty("r");
        }

        node.Sensors.SolutionEc25 = 12.88;
        JsonElement latest = await NextReading();
        double ecT = latest.GetProperty("ec_ms_cm").GetDouble(), t = latest.GetProperty("water_temp_c").GetDouble();
        Assert.InRange(ecT / (1 + (0.0191 * (t - 25))), 12.88 * 0.995, 12.88 * 1.005);
        node.Sensors.SolutionEc25 = null;
        latest = await NextReading();
        Assert.InRange(latest.GetProperty("level_m").GetDouble(), 0.45, 0.55); // the tide moves a few mm in these seconds
    }

    [Fact]
    public async Task A_stable_point_far_from_its_standard_is_refused_and_nothing_changes()
    {
        await using CalibrationRig rig = await CalibrationRig.StartAsync("calx", 11);
        (GatewayProcess gateway, EmulatedNode node) = (rig.Gateway, rig.Node);
        using Wizard wizard = await rig.StartWizardAsync("Lê Văn Tám");
        await wizard.WaitForAsync("Step 1/3");

        // The 1413 µS/cm bottle diluted by half: the probe settles, steadily, 48 % low.
        node.Sensors.SolutionEc25 = 1.413 * 0.52;
        await wizard.Process.StandardInput.WriteLineAsync();
        await wizard.Process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        string text = string.Join("\n", wizard.Lines);
        output.WriteLine(text);
        Assert.Equal(6, wizard.Process.ExitCode); // CheckFailed
        Assert.Contains("more than the 25 %", text, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Stable:", text, StringComparison.Ordinal);
        JsonElement detail = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node.Id}");
        string? config = detail.GetProperty("node").TryGetProperty("config", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        Assert.True(config == null || !JsonDocument.Parse(config).RootElement.TryGetProperty("calibration", out _), "a calibration was stored: " + config);
    }
}

/// <summary>A gateway and one emulated node whose probe the test dips into solutions, with the node's node.json written for the wizard.</summary>
internal sealed class CalibrationRig : IAsyncDisposable
{
    private readonly TempDir _dir = new();
    private readonly CancellationTokenSource _stop = new();
    private Fleet? _fleet;
    private Task? _running;

    public GatewayProcess Gateway { get; private set; } = null!;

    public EmulatedNode Node => _fleet!.Nodes[0];

    public static async Task<CalibrationRig> StartAsync(string prefix, int seed)
    {
        var rig = new CalibrationRig();
        rig.Gateway = new GatewayProcess(rig._dir.Path);
        await rig.Gateway.StartAsync();
        var settings = new EmulatorSettings
        {
            Nodes = 1, IdPrefix = prefix, Port = rig.Gateway.MqttPort, RegisterUrl = rig.Gateway.Http.BaseAddress, OperatorToken = GatewayProcess.OperatorToken,
            IntervalSeconds = 1, Duration = TimeSpan.FromMinutes(5), Scenario = "dry-typical", Seed = seed,
        };
        await EmulatorRunner.RegisterAsync(settings, EmulatorRunner.Place(1, prefix, seed), TextWriter.Null, CancellationToken.None);
        rig._fleet = EmulatorRunner.Build(settings);
        rig._running = Task.Run(() => rig._fleet.RunAsync(settings.Duration, TimeSpan.FromHours(1), null, rig._stop.Token));
        return rig;
    }

    /// <summary>`node calibrate` for the node, with its node.json, the prompts answered by the test.</summary>
    public async Task<Wizard> StartWizardAsync(string technician, params string[] extra)
    {
        string nodeJson = Path.Combine(_dir.Path, "node.json");
        await File.WriteAllTextAsync(nodeJson, EdgeSensors.Node.Config.ConfigEncoder.EncodeDevice(Node.Config));
        return new Wizard(CliProcess.Start(["node", "calibrate", Node.Id, "--technician", technician, "--timeout", "60", "--node-json", nodeJson, .. extra,
            "--gateway-url", Gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken], null, redirectInput: true));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_running != null)
            {
                await _running;
            }
        }
        catch (OperationCanceledException)
        {
        }

        _fleet?.Dispose();
        await Gateway.DisposeAsync();
        _stop.Dispose();
        _dir.Dispose();
    }
}

/// <summary>The wizard's process and what it printed; waiting for a line is a signal, not a poll.</summary>
internal sealed class Wizard : IDisposable
{
    private readonly List<(string Text, TaskCompletionSource Seen)> _waiters = [];

    public Wizard(Process process)
    {
        Process = process;
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data == null ? null : "ERR " + e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
    }

    public Process Process { get; }

    public ConcurrentQueue<string> Lines { get; } = new();

    private void Add(string? line)
    {
        if (line == null)
        {
            return;
        }

        lock (_waiters)
        {
            Lines.Enqueue(line);
            foreach (var w in _waiters.Where(w => line.Contains(w.Text, StringComparison.Ordinal)))
            {
                w.Seen.TrySetResult();
            }
        }
    }

    public async Task WaitForAsync(string text)
    {
        var seen = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_waiters)
        {
            if (Lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                return;
            }

            _waiters.Add((text, seen));
        }

        try
        {
            await seen.Task.WaitAsync(TimeSpan.FromSeconds(90));
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"no '{text}' from the wizard:\n{string.Join("\n", Lines)}");
        }
    }

    public void Dispose() => Process.Dispose();
}
