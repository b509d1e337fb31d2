using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Cli.Commands;

/// <summary>`node …`: give nodes their identity at the gateway and their node.json.</summary>
public static class NodeCommands
{
    /// <summary>The transducer's 0.5–4.5 V span through the 10 kΩ / 10 kΩ divider: 2.0 V at the ADS1115 pin (hardware/node-esp32).</summary>
    private const double PinVoltsFullRange = 2.0;

    public static Command Create()
    {
        var node = new Command("node", "Register, configure, flash, calibrate and watch sensor nodes.");
        node.Subcommands.Add(Add());
        node.Subcommands.Add(List());
        node.Subcommands.Add(Show());
        node.Subcommands.Add(Rotate());
        node.Subcommands.Add(Remove());
        node.Subcommands.Add(Config());
        node.Subcommands.Add(FlashCommand.Create());
        node.Subcommands.Add(WatchCommand.Create());
        node.Subcommands.Add(CalibrateCommand.Create());
        return node;
    }

    public static Argument<string> IdArgument() => new("id")
    {
        Description = "Node id: 1–32 lower-case letters, digits or '-', e.g. hg-vithanh-012.",
        Validators =
        {
            r =>
            {
                string? v = r.Tokens.Count > 0 ? r.Tokens[0].Value : null;
                if (!Topics.IsValidNodeId(v))
                {
                    r.AddError($"'{v}' is not a valid node id: use 1–32 lower-case letters, digits or '-', not starting with '-' (e.g. hg-vithanh-012).");
                }
            },
        },
    };

    /// <summary>Runs an admin operation and prints its outcome.</summary>
    public static async Task<int> RunAdminAsync(ParseResult p, Func<NodeAdmin, Task<AdminResult>> op, Action<Console2, JsonElement> human, CancellationToken ct)
    {
        Console2 c = Output.For(p);
        (NodeAdmin? admin, string? error) = await NodeAdmin.ConnectAsync(p.GetValue(GatewayTarget.Url)!, GatewayTarget.ResolveToken(p), GatewayTarget.ResolveDataDir(p), ct, GatewayTarget.ResolveCa(p)).ConfigureAwait(false);
        if (admin == null)
        {
            return c.Fail(ExitCodes.GatewayUnavailable, error!);
        }

        using (admin)
        {
            AdminResult r = await op(admin).ConfigureAwait(false);
            if (!r.Ok)
            {
                return c.Fail(r.ExitCode, r.Error ?? "failed");
            }

            if (Output.Json(p))
            {
                Output.WriteJson(p, r.Body!.Value);
            }
            else
            {
                c.Info(Console2.Paint("2", $"({admin.Mode})"));
                human(c, r.Body!.Value);
            }

            return ExitCodes.Ok;
        }
    }

    private static Command Add()
    {
        var id = IdArgument();
        var lat = Numbers.OptionalNumber("--lat", "Latitude in degrees (Vị Thanh is about 9.78).", -90, 90, "degrees");
        var lon = Numbers.OptionalNumber("--lon", "Longitude in degrees (Vị Thanh is about 105.47).", -180, 180, "degrees");
        var place = new Option<string?>("--place") { Description = "Place name farmers know, e.g. \"Kênh Xáng Xà No\"." };
        var notes = new Option<string?>("--notes") { Description = "Install notes (mounting, datum survey, who installed)." };
        var cmd = new Command("add", "Register a node at the gateway and generate its password (shown once).\nExample: edgesensors node add hg-vithanh-012 --lat 9.7845 --lon 105.4701 --place \"Kênh Xáng Xà No\"")
        {
            id, lat, lon, place, notes,
        };
        cmd.Validators.Add(r =>
        {
            // Ranges and the number rule are the options' own (Numbers); here only that they come as a pair.
            if ((r.GetResult(lat) == null) != (r.GetResult(lon) == null))
            {
                r.AddError("--lat and --lon go together (Vị Thanh: 9.78, 105.47).");
            }
        });
        cmd.SetAction((p, ct) => RunAdminAsync(p, a => a.AddAsync(p.GetValue(id)!, p.GetValue(lat), p.GetValue(lon), p.GetValue(place), p.GetValue(notes), ct), (c, b) =>
        {
            c.Ok($"Registered node {Output.Str(b, "id")}.");
            c.Info($"  password: {Output.Str(b, "secret")}");
            c.Warn("The password is shown only this once. Put it into the node now: edgesensors node config " + Output.Str(b, "id") + " --secret <password> …");
        }, ct));
        return cmd;
    }

    private static Command List()
    {
        var cmd = new Command("list", "List registered nodes.");
        cmd.SetAction((p, ct) => RunAdminAsync(p, a => a.ListAsync(ct), (c, b) =>
        {
            foreach (JsonElement n in b.EnumerateArray())
            {
                c.Info($"{Output.Str(n, "id"),-24} {Output.Str(n, "place"),-28} {Output.Str(n, "lat")}, {Output.Str(n, "lon")}");
            }

            c.Info($"{b.GetArrayLength()} nodes");
        }, ct));
        return cmd;
    }

    private static Command Show()
    {
        var id = IdArgument();
        var cmd = new Command("show", "Show a node: registration, status, uplink checkpoint and backlog, last readings.") { id };
        cmd.SetAction((p, ct) => RunAdminAsync(p, a => a.ShowAsync(p.GetValue(id)!, ct), (c, b) => c.Info(JsonSerializer.Serialize(b, Output.Pretty)), ct));
        return cmd;
    }

    private static Command Rotate()
    {
        var id = IdArgument();
        var cmd = new Command("rotate-secret", "Give a node a new password (the old one stops working at once).") { id };
        cmd.SetAction((p, ct) => RunAdminAsync(p, a => a.RotateAsync(p.GetValue(id)!, ct), (c, b) =>
        {
            c.Ok($"New password for {Output.Str(b, "id")}: {Output.Str(b, "secret")}");
            c.Warn("Shown only this once: write a new node.json and deploy it to the node.");
        }, ct));
        return cmd;
    }

    private static Command Remove()
    {
        var id = IdArgument();
        var cmd = new Command("remove", "Unregister a node (its readings stay in the store).") { id };
        cmd.SetAction((p, ct) => RunAdminAsync(p, a => a.RemoveAsync(p.GetValue(id)!, ct), (c, _) => c.Ok($"Removed {p.GetValue(id)}."), ct));
        return cmd;
    }

    private static Command Config()
    {
        var id = IdArgument();
        var secret = new Option<string?>("--secret") { Description = "The node's password from `node add` or `rotate-secret` (better: --secret-file or env EDGESENSORS_NODE_SECRET, so it stays out of the shell history)." };
        var secretFile = new Option<FileInfo?>("--secret-file") { Description = "A file holding the node's password." };
        var ssid = new Option<string>("--wifi-ssid") { Description = "Wi-Fi network at the site.", Required = true };
        var wifiPassword = new Option<string?>("--wifi-password") { Description = "Wi-Fi password (8–63 characters; empty for an open network). Better: env EDGESENSORS_WIFI_PASSWORD." };
        var host = new Option<string>("--gateway-host") { Description = "The gateway's address on that network: an IP address or a host name, no scheme, no port (the port is --gateway-port; the firmware's own rules judge it).", Required = true };
        var port = Numbers.OptionalWhole("--gateway-port", "The gateway's MQTT port (8883 with TLS, the default; 1883 with --plaintext).", 1, 65535);
        var plaintext = new Option<bool>("--plaintext") { Description = "Lab only: connect without TLS (the gateway must allow it with Broker:AllowPlaintext). The password then travels in clear." };
        var tls = new Option<bool>("--tls") { Description = "Kept for old scripts: TLS is the default.", Hidden = true };
        // Every default is the firmware's own (NodeConfig): one home, so a node provisioned with the defaults runs as the
        // firmware would without them (issue 28: --ec-alpha once defaulted to 0.0191 here and 0 on the node).
        var defaults = new NodeConfig();
        var interval = Numbers.Whole("--interval", "Seconds between samples.", EdgeSensors.Node.Config.ConfigRules.MinIntervalSeconds, EdgeSensors.Node.Config.ConfigRules.MaxIntervalSeconds, defaults.IntervalSeconds);
        var mode = new Option<string>("--mode") { Description = "deep_sleep (battery) or always_on (mains).", DefaultValueFactory = _ => defaults.Mode == PowerMode.AlwaysOn ? "always_on" : "deep_sleep" };
        var elevation = Numbers.Number("--sensor-elevation", "Pressure sensor elevation above the site datum, m (from the datum survey).", -50, 50, "m", defaults.SensorElevationM);
        var levelSource = new Option<string>("--level-source") { Description = "pressure (submerged transducer), ultrasonic (JSN-SR04T class), maxsonar (MaxBotix MB7389 class) or none.", DefaultValueFactory = _ => LevelSources.Name(defaults.LevelSource) };
        var pressureRange = Numbers.Number("--pressure-range-bar",
            "Full-scale range of the pressure transducer (0.5–4.5 V output, wired through the 10 kΩ / 10 kΩ divider of hardware/node-esp32), bar: 1 for main and class-1 canals and rivers (the default), 0.5 for field canals.",
            0.05, 10, "bar", defaults.PressureHpaPerVolt * PinVoltsFullRange / 1000.0);
        var mount = Numbers.Number("--mount-elevation", "Ultrasonic or MaxSonar sensor face elevation above datum, m.", -50, 50, "m", defaults.MountElevationM);
        var gain = Numbers.Number("--ec-gain", "Calibration gain (from `node calibrate`).", 0.1, 10, string.Empty, defaults.EcGain);
        var offset = Numbers.Number("--ec-offset", "Calibration offset, mS/cm.", -50, 50, "mS/cm", defaults.EcOffset);
        var alpha = Numbers.Number("--ec-alpha", "Temperature coefficient applied by the node, 1/°C: 0 (the default) for the DFR0300 board, which outputs conductivity at the water's temperature and leaves the correction to PSS-78; set it only for a probe that compensates to 25 °C itself.", 0, 0.05, "per °C", defaults.EcAlpha);
        var lat = Numbers.Number("--lat", "Site latitude (local gravity).", -90, 90, "degrees", defaults.Latitude);
        var output = new Option<FileInfo>("--out") { Description = "Where to write node.json.", DefaultValueFactory = _ => new FileInfo("node.json") };
        var noCheck = new Option<bool>("--no-check") { Description = "Write without asking the gateway whether the node is registered with this password (preparing nodes away from the gateway)." };
        var cmd = new Command("config", "Write the node's node.json (identity, Wi-Fi, gateway, credentials, calibration, interval, mode), checked by the firmware's own rules.\nExample: edgesensors node config hg-vithanh-012 --secret … --wifi-ssid UBND-ViThanh --wifi-password … --gateway-host 192.168.1.10")
        {
            id, secret, secretFile, ssid, wifiPassword, host, port, plaintext, tls, interval, mode, elevation, levelSource, pressureRange, mount, gain, offset, alpha, lat, output, noCheck,
        };
        cmd.SetAction(async (p, ct) =>
        {
            Console2 c = Output.For(p);
            string? nodeSecret = p.GetValue(secret)
                ?? (p.GetValue(secretFile) is { } sf ? (sf.Exists ? File.ReadAllText(sf.FullName).Trim() : null) : null)
                ?? Environment.GetEnvironmentVariable("EDGESENSORS_NODE_SECRET");
            if (string.IsNullOrEmpty(nodeSecret))
            {
                return c.Fail(ExitCodes.Usage, "The node's password is needed: --secret-file FILE, env EDGESENSORS_NODE_SECRET, or --secret (from `node add` or `rotate-secret`).");
            }

            bool useTls = !p.GetValue(plaintext);
            var json = new StringBuilder();
            var cfg = new NodeConfig
            {
                NodeId = p.GetValue(id)!,
                Password = nodeSecret,
                WifiSsid = p.GetValue(ssid)!,
                WifiPassword = p.GetValue(wifiPassword) ?? Environment.GetEnvironmentVariable("EDGESENSORS_WIFI_PASSWORD") ?? string.Empty,
                GatewayHost = p.GetValue(host)!,
                GatewayPort = p.GetValue(port) ?? (useTls ? EdgeSensors.Node.Protocol.MqttPorts.Tls : EdgeSensors.Node.Protocol.MqttPorts.Plain),
                GatewayTls = useTls,
                IntervalSeconds = p.GetValue(interval),
                SensorElevationM = p.GetValue(elevation),

                // 0.5–4.5 V through the ÷2 divider: 0.25–2.25 V at the pin, full range over 2.0 V.
                PressureZeroVolts = defaults.PressureZeroVolts,
                PressureHpaPerVolt = p.GetValue(pressureRange) * 1000.0 / PinVoltsFullRange,
                MountElevationM = p.GetValue(mount),
                EcGain = p.GetValue(gain),
                EcOffset = p.GetValue(offset),
                EcAlpha = p.GetValue(alpha),
                Latitude = p.GetValue(lat),
            };
            string modeText = p.GetValue(mode)!;
            string sourceText = p.GetValue(levelSource)!;
            // Encode with the values as given (mode and level source as text), then let the firmware's decoder judge
            // them — first without TLS, whose CA is read below (the decoder refuses TLS without one).
            NodeConfig probe = cfg.Clone();
            probe.GatewayTls = false;
            string encoded = ConfigEncoder.EncodeDevice(probe)
                .Replace("\"mode\":\"deep_sleep\"", $"\"mode\":{JsonSerializer.Serialize(modeText)}", StringComparison.Ordinal)
                .Replace($"\"level_source\":\"{LevelSources.Name(cfg.LevelSource)}\"", $"\"level_source\":{JsonSerializer.Serialize(sourceText)}", StringComparison.Ordinal);
            NodeConfig? accepted = ConfigDecoder.DecodeDevice(Encoding.UTF8.GetBytes(encoded), out string error);
            if (accepted == null)
            {
                return c.Fail(ExitCodes.Usage, "The node would refuse this config: " + error);
            }

            string? caPem = null;
            if (useTls)
            {
                string? caPath = GatewayTarget.ResolveCa(p);
                if (caPath == null || !File.Exists(caPath))
                {
                    return c.Fail(ExitCodes.Usage, $"The gateway's CA certificate was not found ({caPath ?? "no --ca"}): copy data/tls/ca.crt from the gateway and pass --ca FILE, so the node trusts its gateway and nothing else.");
                }

                caPem = File.ReadAllText(caPath).Trim();
                if (!caPem.StartsWith("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal))
                {
                    return c.Fail(ExitCodes.Usage, $"{caPath} is not a PEM certificate (expected the gateway's data/tls/ca.crt).");
                }
            }

            if (caPem != null)
            {
                // The node trusts its gateway's CA and nothing else (M2Mqtt's CA certificate argument on the device).
                cfg.GatewayCaPem = caPem;
                encoded = ConfigEncoder.EncodeDevice(cfg)
                    .Replace("\"mode\":\"deep_sleep\"", $"\"mode\":{JsonSerializer.Serialize(modeText)}", StringComparison.Ordinal)
                    .Replace($"\"level_source\":\"{LevelSources.Name(cfg.LevelSource)}\"", $"\"level_source\":{JsonSerializer.Serialize(sourceText)}", StringComparison.Ordinal);
                accepted = ConfigDecoder.DecodeDevice(Encoding.UTF8.GetBytes(encoded), out error);
                if (accepted == null)
                {
                    return c.Fail(ExitCodes.Usage, "The node would refuse this config: " + error);
                }
            }

            if (!p.GetValue(noCheck))
            {
                // A node.json with a wrong password or an unregistered id would only show up as a node that never
                // connects, in the field. Ask the gateway (its API, or a stopped gateway's store) first.
                (NodeAdmin? admin, string? why) = await NodeAdmin.ConnectAsync(p.GetValue(GatewayTarget.Url)!, GatewayTarget.ResolveToken(p), GatewayTarget.ResolveDataDir(p), ct, GatewayTarget.ResolveCa(p)).ConfigureAwait(false);
                if (admin == null)
                {
                    return c.Fail(ExitCodes.GatewayUnavailable, $"Cannot check {accepted.NodeId} and its password against the gateway: {why}. Run this where the gateway answers (--gateway-url, --token), give --data-dir of a stopped gateway, or add --no-check to write it unchecked.");
                }

                using (admin)
                {
                    AdminResult check = await admin.VerifySecretAsync(accepted.NodeId, nodeSecret, ct).ConfigureAwait(false);
                    if (!check.Ok)
                    {
                        return c.Fail(check.ExitCode, check.Error ?? "the gateway could not check the password");
                    }

                    if (!check.Body!.Value.GetProperty("valid").GetBoolean())
                    {
                        return c.Fail(ExitCodes.Usage, $"This is not {accepted.NodeId}'s password at the gateway: use the one `node add` or `node rotate-secret` printed (or run `edgesensors node rotate-secret {accepted.NodeId}` for a new one).");
                    }
                }
            }

            FileInfo file = p.GetValue(output)!;
            file.Directory?.Create();
            // Created 0600 in the same call that creates it (never readable by others), then renamed into place.
            EdgeSensors.Gateway.Security.SecretFile.Write(file.FullName, encoded);

            if (Output.Json(p))
            {
                Output.WriteJson(p, new { id = accepted.NodeId, file = file.FullName, interval_s = accepted.IntervalSeconds, mode = modeText });
            }
            else
            {
                c.Ok($"Wrote {file.FullName} for {accepted.NodeId} (every {accepted.IntervalSeconds.ToString(CultureInfo.InvariantCulture)} s, {modeText}). It holds the node's password and the Wi-Fi key: keep it off shared folders.");
                c.Info($"Next: edgesensors node flash --port /dev/ttyUSB0 --config {file.FullName}");
            }

            return ExitCodes.Ok;
        });
        return cmd;
    }
}
