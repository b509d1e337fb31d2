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
            try
            {
                await foreach (JsonElement r in LiveReadings.StreamAsync(p.GetValue(GatewayTarget.Url)!, node, quiet, ct).ConfigureAwait(false))
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
                return c.Fail(ExitCodes.GatewayUnavailable, $"cannot reach the gateway's live feed: {ex.Message}");
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
