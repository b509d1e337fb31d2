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
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        var settings = new EmulatorSettings
        {
            Nodes = 1, IdPrefix = "cal", Port = gateway.MqttPort, RegisterUrl = gateway.Http.BaseAddress, OperatorToken = GatewayProcess.OperatorToken,
            IntervalSeconds = 1, Duration = TimeSpan.FromMinutes(5), Scenario = "dry-typical", Seed = 9,
        };
        await EmulatorRunner.RegisterAsync(settings, EmulatorRunner.Place(1, "cal", 9), TextWriter.Null, CancellationToken.None);
        using Fleet fleet = EmulatorRunner.Build(settings);
        EmulatedNode node = fleet.Nodes[0];
        using var stop = new CancellationTokenSource();
        Task running = Task.Run(() => fleet.RunAsync(settings.Duration, TimeSpan.FromHours(1), null, stop.Token));

        // Without a config at the gateway the wizard does not guess the node's present calibration.
        var (refused, _, why) = await CliProcess.RunAsync(["node", "calibrate", node.Id, "--technician", "Trần Thị Bình", "--timeout", "5",
            "--gateway-url", gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken]);
        Assert.NotEqual(0, refused);
        Assert.Contains("--node-json", why, StringComparison.Ordinal);

        string nodeJson = Path.Combine(dir.Path, "node.json");
        await File.WriteAllTextAsync(nodeJson, EdgeSensors.Node.Config.ConfigEncoder.EncodeDevice(node.Config));
        using Process wizard = CliProcess.Start(["node", "calibrate", node.Id, "--technician", "Trần Thị Bình", "--timeout", "60", "--node-json", nodeJson,
            "--sensor-elevation", node.Config.SensorElevationM.ToString(System.Globalization.CultureInfo.InvariantCulture),
            "--gateway-url", gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken], null, redirectInput: true);
        var lines = new ConcurrentQueue<string>();
        wizard.OutputDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue(e.Data); } };
        wizard.ErrorDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue("ERR " + e.Data); } };
        wizard.BeginOutputReadLine();
        wizard.BeginErrorReadLine();

        async Task WaitFor(string text)
        {
            DateTime until = DateTime.UtcNow.AddSeconds(90);
            while (!lines.Any(l => l.Contains(text, StringComparison.Ordinal)))
            {
                Assert.True(DateTime.UtcNow < until && !wizard.HasExited, $"no '{text}' from the wizard:\n{string.Join("\n", lines)}");
                await Task.Delay(100);
            }
        }

        await WaitFor("Step 1/3");
        node.Sensors.SolutionEc25 = 1.413;
        await wizard.StandardInput.WriteLineAsync();
        await WaitFor("Step 2/3");
        node.Sensors.SolutionEc25 = 12.88;
        await wizard.StandardInput.WriteLineAsync();
        await WaitFor("Step 3/3");
        node.Sensors.SolutionEc25 = null;
        await wizard.StandardInput.WriteLineAsync("0,50");
        await wizard.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        output.WriteLine(string.Join("\n", lines));
        Assert.Equal(0, wizard.ExitCode);

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
        // Each check waits for a reading taken after the change (its seq beyond the last one seen), not for a time.
        async Task<JsonElement> NextReading()
        {
            long after = (await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node.Id}?last=1")).GetProperty("last_readings")[0].GetProperty("seq").GetInt64();
            DateTime until = DateTime.UtcNow.AddSeconds(30);
            while (true)
            {
                JsonElement last = (await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node.Id}?last=1")).GetProperty("last_readings")[0];
                if (last.GetProperty("seq").GetInt64() > after + 1)
                {
                    return last.GetProperty("r");
                }

                Assert.True(DateTime.UtcNow < until, "no new reading from the node");
                await Task.Delay(100);
            }
        }

        node.Sensors.SolutionEc25 = 12.88;
        JsonElement latest = await NextReading();
        double ecT = latest.GetProperty("ec_ms_cm").GetDouble(), t = latest.GetProperty("water_temp_c").GetDouble();
        Assert.InRange(ecT / (1 + (0.0191 * (t - 25))), 12.88 * 0.995, 12.88 * 1.005);
        node.Sensors.SolutionEc25 = null;
        latest = await NextReading();
        Assert.InRange(latest.GetProperty("level_m").GetDouble(), 0.45, 0.55); // the tide moves a few mm in these seconds

        stop.Cancel();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }

    [Fact]
    public async Task A_stable_point_far_from_its_standard_is_refused_and_nothing_changes()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        var settings = new EmulatorSettings
        {
            Nodes = 1, IdPrefix = "calx", Port = gateway.MqttPort, RegisterUrl = gateway.Http.BaseAddress, OperatorToken = GatewayProcess.OperatorToken,
            IntervalSeconds = 1, Duration = TimeSpan.FromMinutes(5), Scenario = "dry-typical", Seed = 11,
        };
        await EmulatorRunner.RegisterAsync(settings, EmulatorRunner.Place(1, "calx", 11), TextWriter.Null, CancellationToken.None);
        using Fleet fleet = EmulatorRunner.Build(settings);
        EmulatedNode node = fleet.Nodes[0];
        using var stop = new CancellationTokenSource();
        Task running = Task.Run(() => fleet.RunAsync(settings.Duration, TimeSpan.FromHours(1), null, stop.Token));
        string nodeJson = Path.Combine(dir.Path, "node.json");
        await File.WriteAllTextAsync(nodeJson, EdgeSensors.Node.Config.ConfigEncoder.EncodeDevice(node.Config));
        using Process wizard = CliProcess.Start(["node", "calibrate", node.Id, "--technician", "Lê Văn Tám", "--timeout", "60", "--node-json", nodeJson,
            "--gateway-url", gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken], null, redirectInput: true);
        var lines = new ConcurrentQueue<string>();
        var prompted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        wizard.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null)
            {
                lines.Enqueue(e.Data);
                if (e.Data.Contains("Step 1/3", StringComparison.Ordinal))
                {
                    prompted.TrySetResult();
                }
            }
        };
        wizard.ErrorDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue("ERR " + e.Data); } };
        wizard.BeginOutputReadLine();
        wizard.BeginErrorReadLine();
        await prompted.Task.WaitAsync(TimeSpan.FromSeconds(90));

        // The 1413 µS/cm bottle diluted by half: the probe settles, steadily, 48 % low.
        node.Sensors.SolutionEc25 = 1.413 * 0.52;
        await wizard.StandardInput.WriteLineAsync();
        await wizard.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(90));
        string text = string.Join("\n", lines);
        output.WriteLine(text);
        Assert.Equal(6, wizard.ExitCode); // CheckFailed
        Assert.Contains("more than the 25 %", text, StringComparison.Ordinal);
        Assert.Contains("nothing was changed", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Stable:", text, StringComparison.Ordinal);
        JsonElement detail = await gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node.Id}");
        string? config = detail.GetProperty("node").TryGetProperty("config", out JsonElement c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        Assert.True(config == null || !JsonDocument.Parse(config).RootElement.TryGetProperty("calibration", out _), "a calibration was stored: " + config);
        stop.Cancel();
        try
        {
            await running;
        }
        catch (OperationCanceledException)
        {
        }
    }
}
