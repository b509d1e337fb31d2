using System.CommandLine;
using System.Diagnostics;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>
/// `node flash`: drives nanoff (the nanoFramework flasher, a .NET tool) to put the nanoFramework firmware, the
/// application and node.json on an ESP32. With --dry-run it prints every command and the deploy.json it would use.
/// </summary>
public static class FlashCommand
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public const string InstallHint = "nanoff is not installed. Install it with:\n    dotnet tool install -g nanoff\nthen make sure ~/.dotnet/tools is on your PATH (export PATH=\"$PATH:$HOME/.dotnet/tools\") and run this again.";

    public static Command Create()
    {
        var port = new Option<string?>("--port") { Description = "Serial port of the ESP32, e.g. /dev/ttyUSB0 (omit to list the ports found)." };
        var target = new Option<string>("--target") { Description = "nanoFramework target: ESP32_REV3 (DevKitC v4 with a rev3 chip), ESP32_S3, ESP32_C3, …", DefaultValueFactory = _ => "ESP32_REV3" };
        var firmwareOnly = new Option<bool>("--firmware-only") { Description = "Only flash the nanoFramework firmware (nanoff --update --fwversion " + FirmwarePin.Version + ", the version the pinned libraries need)." };
        var appOnly = new Option<bool>("--app-only") { Description = "Only deploy the application and node.json." };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the nanoff commands and deploy.json; change nothing." };
        var image = new Option<FileInfo>("--image") { Description = "The application image (.bin) built from firmware/EdgeSensors.Device.", DefaultValueFactory = _ => new FileInfo("firmware/EdgeSensors.Device/bin/Release/EdgeSensors.Device.bin") };
        var config = new Option<FileInfo>("--config") { Description = "The node.json written by `node config`.", DefaultValueFactory = _ => new FileInfo("node.json") };
        var cmd = new Command("flash", "Flash an ESP32 node: nanoFramework firmware, application, and node.json on its internal storage (I:\\node.json).\nExample: edgesensors node flash --port /dev/ttyUSB0 --target ESP32_REV3 --config nodes/hg-vithanh-012/node.json")
        {
            port, target, firmwareOnly, appOnly, dryRun, image, config,
        };
        cmd.Validators.Add(r =>
        {
            if (r.GetValue(firmwareOnly) && r.GetValue(appOnly))
            {
                r.AddError("--firmware-only and --app-only exclude each other.");
            }
        });
        cmd.SetAction(async (p, ct) =>
        {
            Console2 c = Output.For(p);
            string? serial = p.GetValue(port);
            if (serial == null)
            {
                string[] ports = SerialPorts();
                c.Info(ports.Length == 0 ? "No serial ports found: plug the node in with a data USB cable." : "Serial ports found:\n  " + string.Join("\n  ", ports));
                return c.Fail(ExitCodes.Usage, "Choose the node's port with --port.");
            }

            bool dry = p.GetValue(dryRun);
            string? nanoff = FindOnPath("nanoff");
            if (nanoff == null && !dry)
            {
                return c.Fail(ExitCodes.ToolMissing, InstallHint);
            }

            string t = p.GetValue(target)!;
            FileInfo configFile = p.GetValue(config)!;
            FileInfo imageFile = p.GetValue(image)!;
            var commands = new List<string[]>();
            string? deployJson = null;
            string deployPath = Path.Combine(configFile.Directory?.FullName ?? ".", "deploy.json");
            if (!p.GetValue(appOnly))
            {
                // The firmware whose native checksums match the pinned libraries (FirmwarePin), never the newest.
                commands.Add(["--platform", "esp32", "--target", t, "--serialport", serial, "--update", "--fwversion", FirmwarePin.Version]);
            }

            // What the plan needs on disk, checked in a dry run too (issue 16): a plan that names a missing file is a
            // plan that fails in the field.
            var missing = new List<string>();
            if (!p.GetValue(firmwareOnly))
            {
                if (!imageFile.Exists)
                {
                    missing.Add($"Application image {imageFile.FullName} not found: build firmware/EdgeSensors.Device (Visual Studio with the nanoFramework extension, or msbuild EdgeSensors.Device.nfproj -p:Configuration=Release; see firmware/README.md) or give --image.");
                }

                if (!configFile.Exists)
                {
                    missing.Add($"{configFile.FullName} not found: write it first with `edgesensors node config <id> … --out {configFile.FullName}`.");
                }
                else if (configFile.Length > 16 * 1024)
                {
                    missing.Add($"{configFile.FullName} is {configFile.Length:N0} bytes: not a node.json (write it with `edgesensors node config`).");
                }
                else if (EdgeSensors.Node.Config.ConfigDecoder.DecodeDevice(File.ReadAllBytes(configFile.FullName), out string configError) == null)
                {
                    // Judged by the firmware's own decoder (issue 30: a malformed node.json passed a dry run with exit 0, and
                    // the node would have refused it at boot).
                    missing.Add($"{configFile.FullName} would be refused by the node at boot: {configError} — write it again with `edgesensors node config`.");
                }

                if (!dry && missing.Count > 0)
                {
                    return c.Fail(ExitCodes.Usage, missing[0]);
                }

                commands.Add(["--target", t, "--serialport", serial, "--deploy", "--image", imageFile.FullName]);
                deployJson = JsonSerializer.Serialize(
                    new Dictionary<string, object>
                    {
                        ["SerialPort"] = serial,
                        ["Files"] = new[] { new Dictionary<string, string> { ["DestinationFilePath"] = "I:\\node.json", ["SourceFilePath"] = configFile.FullName } },
                    },
                    Indented);
                commands.Add(["--target", t, "--serialport", serial, "--filedeployment", deployPath]);
            }

            if (dry)
            {
                if (Output.Json(p))
                {
                    Output.WriteJson(p, new { firmware_version = p.GetValue(appOnly) ? null : FirmwarePin.Version, commands = commands.Select(a => a.Prepend("nanoff").ToArray()), deploy_json_path = deployJson == null ? null : deployPath, deploy_json = deployJson == null ? (JsonElement?)null : JsonDocument.Parse(deployJson).RootElement, nanoff_installed = nanoff != null, missing });
                }
                else
                {
                    c.Info("Dry run — these commands would run:");
                    if (!p.GetValue(appOnly))
                    {
                        c.Info($"  (nanoFramework firmware {FirmwarePin.Version}: the version whose native checksums match the pinned libraries; firmware/README.md)");
                    }

                    foreach (string[] a in commands)
                    {
                        c.Info("  nanoff " + string.Join(' ', a.Select(Quote)));
                    }

                    if (deployJson != null)
                    {
                        c.Info($"with {deployPath}:\n{deployJson}");
                    }

                    if (nanoff == null)
                    {
                        c.Warn(InstallHint);
                    }
                }

                foreach (string m in missing)
                {
                    c.Err.WriteLine("✖ " + m);
                }

                // The plan is printed either way; it is not runnable while a file it needs is missing.
                return missing.Count == 0 ? ExitCodes.Ok : ExitCodes.CheckFailed;
            }

            if (deployJson != null)
            {
                await File.WriteAllTextAsync(deployPath, deployJson, ct).ConfigureAwait(false);
            }

            int step = 0;
            foreach (string[] a in commands)
            {
                step++;
                c.Info($"[{step}/{commands.Count}] nanoff {string.Join(' ', a.Select(Quote))}");
                var psi = new ProcessStartInfo(nanoff!) { UseShellExecute = false };
                foreach (string arg in a)
                {
                    psi.ArgumentList.Add(arg);
                }

                using Process proc = Process.Start(psi)!;
                await proc.WaitForExitAsync(ct).ConfigureAwait(false);
                if (proc.ExitCode != 0)
                {
                    return c.Fail(ExitCodes.CheckFailed, $"nanoff failed (exit {proc.ExitCode}) at step {step}. Check the cable and port; hold BOOT while it connects if the chip does not answer.");
                }
            }

            c.Ok($"Node flashed on {serial}. Watch it report: edgesensors node watch <id>");
            return ExitCodes.Ok;
        });
        return cmd;
    }

    public static string? FindOnPath(string tool)
    {
        string[] dirs = (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries);
        foreach (string d in dirs)
        {
            foreach (string name in OperatingSystem.IsWindows() ? new[] { tool + ".exe", tool + ".cmd" } : [tool])
            {
                string path = Path.Combine(d, name);
                if (File.Exists(path))
                {
                    return path;
                }
            }
        }

        return null;
    }

    public static string[] SerialPorts()
    {
        if (OperatingSystem.IsWindows())
        {
            return [];
        }

        var found = new List<string>();
        foreach (string pattern in new[] { "ttyUSB*", "ttyACM*" })
        {
            found.AddRange(Directory.GetFiles("/dev", pattern));
        }

        if (Directory.Exists("/dev/serial/by-id"))
        {
            found.AddRange(Directory.GetFiles("/dev/serial/by-id"));
        }

        return [.. found.Order()];
    }

    private static string Quote(string a) => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a;
}
