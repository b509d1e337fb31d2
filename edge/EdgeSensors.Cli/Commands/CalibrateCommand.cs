using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Probe;

namespace EdgeSensors.Cli.Commands;

/// <summary>
/// `node calibrate`: the two-point conductivity calibration (rinse, 1413 µS/cm, rinse, 12.88 mS/cm) and the level
/// zero against a staff gauge, with the node's live readings through the gateway. A point is taken only once the
/// reading is stable. The raw probe value is recovered from the reported conductivity with the calibration the node
/// uses now, the new calibration is fitted with the firmware's own code, pushed to the node on its retained config
/// topic, and kept in the registry with the date and the technician's name.
/// </summary>
public static class CalibrateCommand
{
    public static Command Create()
    {
        var id = NodeCommands.IdArgument();
        var technician = new Option<string>("--technician") { Description = "Your name, recorded with the calibration.", Required = true };
        var low = Numbers.Number("--low", "Low standard, mS/cm at 25 °C.", 0.01, 100, "mS/cm", TwoPointCalibration.LowStandardMsCm);
        var high = Numbers.Number("--high", "High standard, mS/cm at 25 °C.", 0.01, 100, "mS/cm", TwoPointCalibration.HighStandardMsCm);
        var stable = Numbers.Whole("--stable-readings", "Consecutive readings that must agree before a point is taken.", 1, 100, 3);
        var tolerance = Numbers.Number("--tolerance", "How closely they must agree (fraction).", 0.0001, 0.5, string.Empty, 0.02);
        var maxDeviation = Numbers.Number("--max-deviation",
            "How far a stable point may lie from the standard before calibration (fraction): a K=1 probe in good order on the EC board reads within about 25 %; farther means the wrong bottle, a diluted or spent standard, a dry or fouled probe, or another cell constant.",
            0.01, 5, string.Empty, 0.25);
        var currentElevation = Numbers.OptionalNumber("--sensor-elevation", "The sensor elevation in the node's node.json, m (needed for the level zero when the gateway has not sent one).", -50, 50, "m");
        var timeout = Numbers.Number("--timeout", "Seconds to wait for a stable point.", 1, 86400, "s", 600);
        var nodeJson = new Option<FileInfo?>("--node-json") { Description = "The node.json the node was flashed with (from `node config`): its present calibration (gain, offset, α) when the gateway holds no config for it. Nothing is assumed." };
        var cmd = new Command("calibrate", "Calibrate a node's conductivity probe with 1413 µS/cm and 12.88 mS/cm standards, and its level against a staff gauge.")
        {
            id, technician, low, high, stable, tolerance, maxDeviation, timeout, currentElevation, nodeJson,
        };
        cmd.SetAction(async (p, ct) =>
        {
            Console2 c = Output.For(p);
            TextReader input = Console.In;
            string node = p.GetValue(id)!;
            (NodeAdmin? admin, string? error) = await NodeAdmin.ConnectAsync(p.GetValue(GatewayTarget.Url)!, GatewayTarget.ResolveToken(p), null, ct, GatewayTarget.ResolveCa(p)).ConfigureAwait(false);
            if (admin == null)
            {
                return c.Fail(ExitCodes.GatewayUnavailable, error + " (calibration needs the running gateway)");
            }

            using (admin)
            {
                AdminResult shown = await admin.ShowAsync(node, ct).ConfigureAwait(false);
                if (!shown.Ok)
                {
                    return c.Fail(shown.ExitCode, shown.Error!);
                }

                // The calibration the node runs with now (its retained config), to recover the probe's raw values.
                JsonObject config = shown.Body!.Value.GetProperty("node").TryGetProperty("config", out JsonElement cfg) && cfg.ValueKind == JsonValueKind.String
                    ? JsonNode.Parse(cfg.GetString()!)!.AsObject()
                    : new JsonObject { ["v"] = 1 };
                JsonObject cal = config["calibration"] as JsonObject ?? [];

                // The calibration the node runs with: the gateway's config where it sets a value, else the node.json it
                // was flashed with. Never a default: a wrong α here is fitted into gain and offset and sent to the node.
                NodeConfig? flashed = null;
                if (p.GetValue(nodeJson) is { } file)
                {
                    if (!file.Exists)
                    {
                        return c.Fail(ExitCodes.Usage, $"{file.FullName} does not exist: give the node.json written by `node config` for {node}.");
                    }

                    flashed = ConfigDecoder.DecodeDevice(File.ReadAllBytes(file.FullName), out string why);
                    if (flashed == null || flashed.NodeId != node)
                    {
                        return c.Fail(ExitCodes.Usage, $"{file.FullName} is not {node}'s node.json ({(flashed == null ? why : "it is " + flashed.NodeId + "'s")}); nothing was changed.");
                    }
                }

                double? Known(string key, double? fromFlash) => cal[key]?.GetValue<double>() ?? fromFlash;
                double? gainKnown = Known("ec_gain", flashed?.EcGain), offsetKnown = Known("ec_offset", flashed?.EcOffset), alphaKnown = Known("ec_alpha", flashed?.EcAlpha);
                if (gainKnown is not double gain || offsetKnown is not double offset || alphaKnown is not double alpha)
                {
                    return c.Fail(ExitCodes.Usage, $"The calibration {node} runs with now (gain, offset, α) is unknown: the gateway holds no config for it. Give --node-json with the node.json it was flashed with. Nothing was changed.");
                }

                double? elevation = cal["sensor_elevation_m"]?.GetValue<double>() ?? p.GetValue(currentElevation) ?? flashed?.SensorElevationM;

                string url = p.GetValue(GatewayTarget.Url)!;
                var quiet = TimeSpan.FromSeconds(p.GetValue(timeout));
                double Raw(JsonElement r)
                {
                    JsonElement f = r.GetProperty("r");
                    double ec = f.GetProperty("ec_ms_cm").GetDouble(), t = f.GetProperty("water_temp_c").GetDouble();
                    return ((ec / (1 + (alpha * (t - 25)))) - offset) / gain;
                }

                var temps = new List<double>();

                // The point is (raw reading, the standard's conductivity at the solution's measured temperature): a board
                // that outputs conductivity at the water's temperature is compared with what the standard conducts
                // there, not with its 25 °C label (KclStandard); with α set, the reading is EC25 and the label applies.
                async Task<(double Raw, double Standard)?> PointAsync(string prompt, double standard)
                {
                    c.Info(prompt);
                    c.Info("Press Enter when the probe is in the solution.");
                    if (await input.ReadLineAsync(ct).ConfigureAwait(false) == null)
                    {
                        return null;
                    }

                    var window = new List<double>();
                    using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
                    cts.CancelAfter(quiet);
                    try
                    {
                        await foreach (JsonElement r in LiveReadings.StreamAsync(url, node, quiet.TotalSeconds, cts.Token).ConfigureAwait(false))
                        {
                            if (!r.GetProperty("r").TryGetProperty("ec_ms_cm", out _) || !r.GetProperty("r").TryGetProperty("water_temp_c", out _))
                            {
                                c.Warn("reading without conductivity: is the probe connected and wet?");
                                continue;
                            }

                            window.Add(Raw(r));
                            temps.Add(r.GetProperty("r").GetProperty("water_temp_c").GetDouble());
                            if (window.Count > p.GetValue(stable))
                            {
                                window.RemoveAt(0);
                                temps.RemoveAt(0);
                            }

                            double spread = window.Count > 1 ? (window.Max() - window.Min()) / Math.Max(window.Average(), 1e-6) : double.PositiveInfinity;
                            c.Info(string.Create(CultureInfo.InvariantCulture, $"  probe reads {window[^1]:F3} mS/cm (raw EC25), spread {(double.IsInfinity(spread) ? "—" : (spread * 100).ToString("F1", CultureInfo.InvariantCulture) + " %")}"));
                            if (window.Count == p.GetValue(stable) && spread <= p.GetValue(tolerance))
                            {
                                double t = temps.Average();
                                double atT = alpha > 0 ? standard : KclStandard.AtTemperature(standard, t);
                                if (double.IsNaN(atT))
                                {
                                    c.Warn(string.Create(CultureInfo.InvariantCulture, $"The solution is at {t:F1} °C, outside 0–{KclStandard.MaxTempC:F0} °C where the standard's value is known: bring it to room temperature."));
                                    return null;
                                }

                                // Stable is not the same as right (issue 30: a point 48 % off was taken): a reading far from
                                // the standard is refused before it can become a gain.
                                double off = (window.Average() / atT) - 1;
                                if (Math.Abs(off) > p.GetValue(maxDeviation))
                                {
                                    c.Warn(string.Create(CultureInfo.InvariantCulture,
                                        $"The probe reads {window.Average():F3} mS/cm in the {standard} mS/cm standard ({atT:F3} mS/cm at {t:F1} °C): {off * 100:+0;-0} %, more than the {p.GetValue(maxDeviation) * 100:F0} % a probe in good order is off. Check the bottle (right standard, fresh, not diluted), rinse the probe and dip it to the mark, check the board's cable; then run the calibration again."));
                                    return null;
                                }

                                c.Ok(string.Create(CultureInfo.InvariantCulture, $"Stable: {window.Average():F4} for the {standard} mS/cm standard, which conducts {atT:F3} mS/cm at {t:F1} °C."));
                                return (window.Average(), atT);
                            }
                        }
                    }
                    catch (TimeoutException)
                    {
                    }

                    c.Warn("The reading did not settle in time.");
                    return null;
                }

                temps.Clear();
                (double Raw, double Standard)? rawLow = await PointAsync($"Step 1/3: rinse the probe with clean water, then put it in the {p.GetValue(low)} mS/cm ({p.GetValue(low) * 1000:F0} µS/cm) standard.", p.GetValue(low)).ConfigureAwait(false);
                if (rawLow == null)
                {
                    return c.Fail(ExitCodes.CheckFailed, "No stable, plausible reading in the low standard (see above): nothing was changed.");
                }

                temps.Clear();
                (double Raw, double Standard)? rawHigh = await PointAsync($"Step 2/3: rinse the probe again, then put it in the {p.GetValue(high)} mS/cm standard.", p.GetValue(high)).ConfigureAwait(false);
                if (rawHigh == null)
                {
                    return c.Fail(ExitCodes.CheckFailed, "No stable, plausible reading in the high standard (see above): nothing was changed.");
                }

                TwoPointCalibration? fit = TwoPointCalibration.Fit(rawLow.Value.Raw, rawLow.Value.Standard, rawHigh.Value.Raw, rawHigh.Value.Standard, out string reason);
                if (fit == null)
                {
                    return c.Fail(ExitCodes.CheckFailed, "Calibration refused: " + reason + ". Nothing was changed.");
                }

                c.Info("Step 3/3: put the probe back in the canal. Read the staff gauge and type the level in metres above the datum (or 'skip'), then Enter.");
                string? gauge = await input.ReadLineAsync(ct).ConfigureAwait(false);
                if (gauge != null && double.TryParse(gauge.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out double gaugeM) && elevation == null)
                {
                    c.Warn("Level zero skipped: the node's present sensor elevation is unknown. Run again with --sensor-elevation <value from its node.json>.");
                }
                else if (gauge != null && double.TryParse(gauge.Replace(',', '.'), NumberStyles.Float, CultureInfo.InvariantCulture, out gaugeM))
                {
                    c.Info("Waiting for the node's next level reading…");
                    await foreach (JsonElement r in LiveReadings.StreamAsync(url, node, quiet.TotalSeconds, ct).ConfigureAwait(false))
                    {
                        if (r.GetProperty("r").TryGetProperty("level_m", out JsonElement lv))
                        {
                            elevation += gaugeM - lv.GetDouble();
                            c.Ok(string.Create(CultureInfo.InvariantCulture, $"Level zero: node read {lv.GetDouble():F3} m, gauge {gaugeM:F3} m → sensor elevation {elevation:F3} m."));
                            break;
                        }
                    }
                }

                cal["ec_gain"] = Math.Round(fit.Gain, 6);
                cal["ec_offset"] = Math.Round(fit.Offset, 6);
                cal["ec_alpha"] = alpha;
                if (elevation is double e)
                {
                    cal["sensor_elevation_m"] = Math.Round(e, 3);
                }

                cal["calibrated_at"] = DateTime.UtcNow.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture);
                cal["technician"] = p.GetValue(technician);
                config["calibration"] = cal;
                AdminResult pushed = await admin.SetConfigAsync(node, config.ToJsonString(), ct).ConfigureAwait(false);
                if (!pushed.Ok)
                {
                    return c.Fail(pushed.ExitCode, "The gateway refused the new config: " + pushed.Error);
                }

                if (Output.Json(p))
                {
                    Output.WriteJson(p, new { node, gain = fit.Gain, offset = fit.Offset, raw_low = rawLow, raw_high = rawHigh, sensor_elevation_m = elevation, rev = pushed.Body!.Value.GetProperty("rev").GetInt64() });
                }
                else
                {
                    c.Ok(string.Create(CultureInfo.InvariantCulture, $"Calibration for {node}: gain {fit.Gain:F4}, offset {fit.Offset:F4} mS/cm; sent to the node (config rev {pushed.Body!.Value.GetProperty("rev").GetInt64()}) and recorded for {p.GetValue(technician)}."));
                }

                return ExitCodes.Ok;
            }
        });
        return cmd;
    }
}
