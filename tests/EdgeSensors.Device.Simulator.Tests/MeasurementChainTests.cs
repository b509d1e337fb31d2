using System.Text.Json;
using EdgeSensors.Device.Simulator.Board;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>
/// Water of a known salinity and temperature at the probe → the EC board's voltage (clipped at its supply) → the
/// isolated ADS1115 (nothing coded above VDD) → the device program with the CLI's default node.json → the published
/// reading: right within max(2 %, 0.05 ‰), or flagged — never a wrong number without a flag.
/// </summary>
public sealed class MeasurementChainTests
{
    [Theory]
    [InlineData(1.0, 25.0)]
    [InlineData(8.0, 30.0)]
    [InlineData(12.0, 30.0)]
    [InlineData(12.0, 35.0)]
    public async Task A_salinity_at_the_probe_is_published_right_or_flagged(double salinity, double waterTempC)
        => await MeasureAsync(Programs.Current, salinity, waterTempC);

    [Fact]
    public async Task Control_the_old_rail_high_threshold_publishes_clipped_salt_water_as_a_value()
    {
        // Rail-high only at full scale (32,767), which an ADS1115 on 3.3 V never reaches at ±4.096 V.
        ProgramImage old = Programs.Planted("Device/HardwareSampler.cs", "            frame.EcHighestCode = _ec.HighestCode;\n", string.Empty);
        var failure = await Record.ExceptionAsync(() => MeasureAsync(old, 12.0, 30.0));
        Assert.NotNull(failure);
        Assert.Contains("clips the EC board", failure.Message, StringComparison.Ordinal);
    }

    private static async Task MeasureAsync(ProgramImage image, double salinity, double waterTempC)
    {
        await using NodeRig rig = await NodeRig.StartAsync(60, PowerMode.AlwaysOn);
        rig.Board.EcBoard.ConductivityMsCm = PracticalSalinity.ToConductivity(salinity, waterTempC, 0);
        rig.Board.Ntc.WaterTempC = waterTempC;
        rig.Board.PowerOn(image);
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= 2, BoardScenarios.Patience, "two readings at the IOC");

        bool clipped = rig.Board.EcBoard.OutputVolts() >= rig.Board.EcBoard.SupplyVolts;
        foreach (BoardEvent e in rig.Board.Events.Where(e => e.Kind == "publish" && e.Topic!.EndsWith("/telemetry", StringComparison.Ordinal)))
        {
            using JsonDocument doc = JsonDocument.Parse(e.Payload!);
            foreach (JsonElement s in doc.RootElement.GetProperty("samples").EnumerateArray())
            {
                JsonElement r = s.GetProperty("r");
                if (r.TryGetProperty("salinity_ppt", out JsonElement sp))
                {
                    Assert.False(clipped, $"{salinity} ‰ at {waterTempC} °C clips the EC board, yet {sp.GetDouble()} ‰ was published");
                    Assert.InRange(sp.GetDouble(), salinity - Math.Max(0.02 * salinity, 0.05), salinity + Math.Max(0.02 * salinity, 0.05));
                }
                else
                {
                    Assert.True(clipped, $"no salinity published for {salinity} ‰ at {waterTempC} °C, which the board can measure");
                }
            }
        }

        if (clipped)
        {
            Assert.Contains(rig.Statuses(), st => st.GetProperty("faults").EnumerateArray().Any(f => f.GetString() == "ec_ms_cm:adc_rail_high"));
        }
    }

    /// <summary>The grid a farmer's thresholds live on (0.3–0.5 ‰ for fruit, 1–4 ‰ for rice) up to the top of the K = 1 probe.</summary>
    private static readonly double[] Salinities = [0.1, 0.3, 0.5, 1, 2, 4, 8, 12];

    [Fact]
    public async Task Provisioned_with_the_CLI_s_defaults_the_node_s_stored_salinity_is_right_or_flagged_from_0_1_to_12_ppt_at_25_to_35_C()
    {
        await using NodeRig rig = await NodeRig.StartWithCliAsync(20, PowerMode.AlwaysOn);
        List<string> problems = await GridAsync(rig);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Control_the_old_alpha_default_corrects_the_temperature_twice_and_fails_the_grid()
    {
        await using NodeRig rig = await NodeRig.StartWithCliAsync(20, PowerMode.AlwaysOn, "--ec-alpha", "0.0191");
        List<string> problems = await GridAsync(rig, temperatures: [30.0]);
        Assert.Contains(problems, p => p.Contains("stored", StringComparison.Ordinal));
    }

    /// <summary>Each salinity and temperature held at the probe until the IOC has its third reading; the last is judged.</summary>
    private static async Task<List<string>> GridAsync(NodeRig rig, double[]? temperatures = null)
    {
        var problems = new List<string>();
        rig.Board.PowerOn(Programs.Current);
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= 1, BoardScenarios.Patience, "a first reading at the IOC");
        foreach (double t in temperatures ?? [25.0, 30.0, 35.0])
        {
            foreach (double s in Salinities)
            {
                rig.Board.Ntc.WaterTempC = t;
                rig.Board.EcBoard.ConductivityMsCm = PracticalSalinity.ToConductivity(s, t, 0);
                uint from = rig.AtIoc.Keys.Max(k => k.Seq);
                await rig.Board.WaitForAsync(_ => rig.AtIoc.Keys.Any(k => k.Seq >= from + 3), BoardScenarios.Patience, $"three readings at {s} ‰, {t} °C");
                (uint boot, uint seq) = rig.AtIoc.Keys.Where(k => k.Seq >= from + 3).Min();
                double? stored = rig.SalinityAtIoc(boot, seq);
                bool clipped = rig.Board.EcBoard.OutputVolts() >= rig.Board.EcBoard.SupplyVolts;
                double tolerance = Math.Max(0.02 * s, 0.05);
                if (stored is double v && (clipped || Math.Abs(v - s) > tolerance))
                {
                    problems.Add($"{s} ‰ at {t} °C: stored {v:F3} ‰ (tolerance ±{tolerance:F3}{(clipped ? "; the EC board was clipped" : string.Empty)})");
                }
                else if (stored == null && !clipped)
                {
                    problems.Add($"{s} ‰ at {t} °C: no salinity stored, though the board can measure it");
                }
            }
        }

        return problems;
    }

    [Fact]
    public async Task With_the_3V3_rail_2_percent_low_the_water_temperature_is_still_right()
        => Assert.InRange(await WaterTemperatureErrorAsync(Programs.Current), -0.1, 0.1);

    [Fact]
    public async Task Control_without_the_rail_measured_the_water_temperature_is_off_by_almost_a_degree()
    {
        ProgramImage unmeasured = Programs.Planted("EdgeSensors.Device/Program.cs", "            sampler.NtcRail = new AutoRangingInput(front, PinMap.NtcRailInput, PinMap.WidestRange, PinMap.AdcSupplyVolts);\n", string.Empty);
        Assert.True(Math.Abs(await WaterTemperatureErrorAsync(unmeasured)) > 0.5);
    }

    /// <summary>Published minus true water temperature at 30 °C with the switched rail (the NTC's and the ADS1115's supply) at 3.234 V.</summary>
    private static async Task<double> WaterTemperatureErrorAsync(ProgramImage image)
    {
        await using NodeRig rig = await NodeRig.StartAsync(60, PowerMode.AlwaysOn);
        rig.Board.Ntc.WaterTempC = 30.0;
        rig.Board.Ntc.RailVolts = 3.3 * 0.98;
        rig.Board.FrontAdc.SupplyVolts = 3.3 * 0.98;
        rig.Board.PowerOn(image);
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= 1, BoardScenarios.Patience, "a reading at the IOC");
        BoardEvent e = rig.Board.Events.First(x => x.Kind == "publish" && x.Topic!.EndsWith("/telemetry", StringComparison.Ordinal));
        using JsonDocument doc = JsonDocument.Parse(e.Payload!);
        return doc.RootElement.GetProperty("samples")[0].GetProperty("r").GetProperty("water_temp_c").GetDouble() - 30.0;
    }

    /// <summary>
    /// Worst-case parts (hardware/node-esp32/README.md, "Part tolerances"): the EC board's transfer 10 % off its nominal
    /// 6.1 mS/cm per V with a 20 mV offset (DFR0300: accuracy ±10 % of full scale before calibration), both ADS1115s at
    /// their datasheet maxima (gain error 0.15 %, offset 3 LSB), and the NTC at the edge of its ±1 % R25 tolerance.
    /// </summary>
    private static void WorstCaseParts(SimulatedBoard board)
    {
        board.EcBoard.TransferMsCmPerVolt = 6.1 * 1.10;
        board.EcBoard.OffsetVolts = 0.020;
        board.IsolatedAdc.GainError = 0.0015;
        board.IsolatedAdc.OffsetLsb = 3;
        board.FrontAdc.GainError = -0.0015;
        board.FrontAdc.OffsetLsb = -3;
        board.Ntc.R25Ohms = 10_000 * 1.01;
    }

    [Theory]
    [InlineData(22.0)]
    [InlineData(29.0)]
    public async Task With_worst_case_parts_after_the_CLI_s_calibration_the_stored_salinity_is_right_or_flagged(double calibrationTempC)
    {
        await using NodeRig rig = await NodeRig.StartWithCliAsync(20, PowerMode.AlwaysOn);
        WorstCaseParts(rig.Board);
        rig.Board.PowerOn(Programs.Current);
        await rig.Board.WaitForAsync(_ => rig.AtIoc.Count >= 1, BoardScenarios.Patience, "a first reading at the IOC");
        await CalibrateAsync(rig, calibrationTempC);
        List<string> problems = await GridAsync(rig);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public async Task Control_worst_case_parts_without_calibration_misread()
    {
        await using NodeRig rig = await NodeRig.StartWithCliAsync(20, PowerMode.AlwaysOn);
        WorstCaseParts(rig.Board);
        List<string> problems = await GridAsync(rig, temperatures: [25.0]);
        Assert.Contains(problems, p => p.Contains("stored", StringComparison.Ordinal));
    }

    /// <summary>`edgesensors node calibrate` run as a technician does, the board's probe dipped in the KCl standards at <paramref name="t"/>.</summary>
    private static async Task CalibrateAsync(NodeRig rig, double t)
    {
        using System.Diagnostics.Process wizard = CliProcess.Start(
            [
                "node", "calibrate", NodeRig.NodeId, "--technician", "Trần Thị Bình", "--timeout", "120", "--node-json", rig.NodeJsonPath!,
                "--gateway-url", rig.Chain.Gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken,
            ],
            null,
            redirectInput: true);
        var lines = new System.Collections.Concurrent.ConcurrentQueue<string>();
        wizard.OutputDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue(e.Data); } };
        wizard.ErrorDataReceived += (_, e) => { if (e.Data != null) { lines.Enqueue("ERR " + e.Data); } };
        wizard.BeginOutputReadLine();
        wizard.BeginErrorReadLine();
        async Task Step(string prompt, double? standard, string answer)
        {
            await rig.Board.WaitForAsync(_ => lines.Any(l => l.Contains(prompt, StringComparison.Ordinal)) || wizard.HasExited, BoardScenarios.Patience, $"the wizard's \"{prompt}\"");
            Assert.False(wizard.HasExited, "the wizard ended early:\n" + string.Join("\n", lines));
            rig.Board.Ntc.WaterTempC = t;
            rig.Board.EcBoard.ConductivityMsCm = standard is double s ? EdgeSensors.Node.Probe.KclStandard.AtTemperature(s, t) : 2.0;
            await wizard.StandardInput.WriteLineAsync(answer);
        }

        await Step("Step 1/3", 1.413, string.Empty);
        await Step("Step 2/3", 12.88, string.Empty);
        await Step("Step 3/3", null, "skip");
        await wizard.WaitForExitAsync().WaitAsync(BoardScenarios.Patience);
        Assert.True(wizard.ExitCode == 0, string.Join("\n", lines));

        // The node has the new calibration once it reports the config revision the wizard set.
        await rig.Board.WaitForAsync(_ => rig.Statuses().Any(st => st.TryGetProperty("config_rev", out JsonElement rev) && rev.GetInt64() > 0), BoardScenarios.Patience, "the node running the new calibration");
    }
}
