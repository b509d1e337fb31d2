using System.CommandLine;
using System.Globalization;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>`node watch`: live readings of one node, from the gateway's live feed.</summary>
public static class WatchCommand
{
    public static Command Create()
    {
        var id = NodeCommands.IdArgument();
        var count = Numbers.Whole("--count", "Stop after this many readings (0: until Ctrl+C).", 0, 1_000_000, 0);
        var timeout = Numbers.Number("--timeout", "Give up after this many seconds without a reading (0: never).", 0, 86400, "s", 0);
        var cmd = new Command("watch", "Show a node's readings as they arrive at the gateway.") { id, count, timeout };
        cmd.SetAction(async (p, ct) =>
        {
            Console2 c = Output.For(p);
            string node = p.GetValue(id)!;
            int seen = 0;
            int max = p.GetValue(count);
            double quiet = p.GetValue(timeout);
            string url = p.GetValue(GatewayTarget.Url)!;
            try
            {
                // Say first whether the gateway knows this node and when it last heard from it: an unknown id or a
                // silent node must not look like an empty screen (issue 16).
                using (HttpClient http = GatewayTarget.CreateHttp(url, GatewayTarget.ResolveCa(p), TimeSpan.FromSeconds(10)))
                {
                    using JsonDocument stations = JsonDocument.Parse(await http.GetStringAsync("/api/public/stations", ct).ConfigureAwait(false));
                    JsonElement? station = stations.RootElement.EnumerateArray().Cast<JsonElement?>().FirstOrDefault(e => e!.Value.GetProperty("id").GetString() == node);
                    if (station == null)
                    {
                        return c.Fail(ExitCodes.NotFound, $"the gateway at {url} has no node \"{node}\" (edgesensors node list shows the registered ones)");
                    }

                    JsonElement age = station.Value.GetProperty("age_s");
                    string place = Output.Str(station.Value, "place");
                    c.Err.WriteLine(age.ValueKind == JsonValueKind.Number
                        ? $"watching {node} ({place}); its last reading reached the gateway {age.GetInt64()} s ago{(age.GetInt64() > 3600 ? " — it has been silent for over an hour: check its power and Wi-Fi" : string.Empty)}"
                        : $"watching {node} ({place}); it has never reported to this gateway: check that it is flashed with this gateway's node.json and powered");
                }

                await foreach (JsonElement r in LiveReadings.StreamAsync(url, node, quiet, ct).ConfigureAwait(false))
                {
                    seen++;
                    if (Output.Json(p))
                    {
                        c.Out.WriteLine(r.GetRawText());
                    }
                    else
                    {
                        JsonElement f = r.GetProperty("r");
                        string at = DateTimeOffset.FromUnixTimeSeconds(r.GetProperty("ts").GetInt64()).ToLocalTime().ToString("HH:mm:ss", CultureInfo.InvariantCulture);
                        c.Info($"{at}  salinity {Output.Str(f, "salinity_ppt")} ‰  EC {Output.Str(f, "ec_ms_cm")} mS/cm  water {Output.Str(f, "water_temp_c")} °C  level {Output.Str(f, "level_m")} m  [{Output.Str(r, "q")}]");
                    }

                    if (max > 0 && seen >= max)
                    {
                        break;
                    }
                }
            }
            catch (HttpRequestException ex)
            {
                return c.Fail(ExitCodes.GatewayUnavailable, "the live feed: " + GatewayTarget.Explain(ex, p.GetValue(GatewayTarget.Url)!, GatewayTarget.ResolveCa(p)));
            }
            catch (TimeoutException ex)
            {
                return c.Fail(ExitCodes.CheckFailed, ex.Message);
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }
}
