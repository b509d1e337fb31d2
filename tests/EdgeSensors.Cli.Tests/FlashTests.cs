using EdgeSensors.Cli.Commands;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Cli.Tests;

public sealed class FlashTests
{
    [Fact]
    public async Task Dry_run_prints_the_nanoff_commands_and_the_deploy_json()
    {
        using var dir = new TempDir();
        string config = Path.Combine(dir.Path, "node.json");
        string image = Path.Combine(dir.Path, "app.bin");
        // Missing files: the plan is printed, with what is missing and how to make it, and it is not "ok".
        var (code, stdout, stderr) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--target", "ESP32_REV3", "--config", config, "--image", image, "--dry-run", "--json"]);
        Assert.Equal(6, code);
        Assert.Contains("EdgeSensors.Device.nfproj", stderr, StringComparison.Ordinal);
        Assert.Contains("node config", stderr, StringComparison.Ordinal);
        Assert.Equal(2, JsonDocument.Parse(stdout).RootElement.GetProperty("missing").GetArrayLength());

        // A node.json the node would refuse at boot fails the dry run too, with the node's own reason (issue 30).
        await File.WriteAllTextAsync(config, "{}");
        await File.WriteAllBytesAsync(image, [1, 2, 3]);
        (code, _, stderr) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--target", "ESP32_REV3", "--config", config, "--image", image, "--dry-run", "--json"]);
        Assert.Equal(6, code);
        Assert.Contains("would be refused by the node at boot", stderr, StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, "{\"node_id\":\"hg-1\",");
        (code, _, stderr) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--target", "ESP32_REV3", "--config", config, "--image", image, "--dry-run"]);
        Assert.Equal(6, code);
        Assert.Contains("would be refused by the node at boot", stderr, StringComparison.Ordinal);

        var valid = new EdgeSensors.Node.Config.NodeConfig { NodeId = "hg-flash-001", Password = "correct-horse-battery", WifiSsid = "UBND-ViThanh", WifiPassword = "12345678", GatewayHost = "192.168.1.10", GatewayTls = false, GatewayPort = EdgeSensors.Node.Protocol.MqttPorts.Plain }; // a lab node: no CA to carry
        string encoded = EdgeSensors.Node.Config.ConfigEncoder.EncodeDevice(valid);
        Assert.NotNull(EdgeSensors.Node.Config.ConfigDecoder.DecodeDevice(System.Text.Encoding.UTF8.GetBytes(encoded), out string why) ?? throw new InvalidOperationException(why));
        await File.WriteAllTextAsync(config, encoded);
        (code, stdout, stderr) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--target", "ESP32_REV3", "--config", config, "--image", image, "--dry-run", "--json"]);
        Assert.True(code == 0, stderr);
        JsonElement r = JsonDocument.Parse(stdout).RootElement;
        string[][] commands = r.GetProperty("commands").EnumerateArray().Select(c => c.EnumerateArray().Select(a => a.GetString()!).ToArray()).ToArray();
        Assert.Equal(["nanoff", "--platform", "esp32", "--target", "ESP32_REV3", "--serialport", "/dev/ttyUSB0", "--update", "--fwversion", FirmwarePin.Version], commands[0]);
        Assert.Equal(["nanoff", "--target", "ESP32_REV3", "--serialport", "/dev/ttyUSB0", "--deploy", "--image", image], commands[1]);
        Assert.Equal(["nanoff", "--target", "ESP32_REV3", "--serialport", "/dev/ttyUSB0", "--filedeployment", Path.Combine(dir.Path, "deploy.json")], commands[2]);
        JsonElement deploy = r.GetProperty("deploy_json");
        Assert.Equal("/dev/ttyUSB0", deploy.GetProperty("SerialPort").GetString());
        Assert.Equal("I:\\node.json", deploy.GetProperty("Files")[0].GetProperty("DestinationFilePath").GetString());
        Assert.Equal(config, deploy.GetProperty("Files")[0].GetProperty("SourceFilePath").GetString());
        Assert.False(File.Exists(Path.Combine(dir.Path, "deploy.json")), "a dry run writes nothing");
    }

    [Fact]
    public async Task The_dry_run_names_the_pinned_firmware_and_it_is_the_one_the_firmware_table_names()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeSensors.sln")))
        {
            root = Path.GetDirectoryName(root) ?? throw new DirectoryNotFoundException("EdgeSensors.sln not found above the test's folder");
        }

        // The table in firmware/README.md: "| firmware for the pinned set (nanoff --fwversion) | `1.12.4.41` | …".
        string readme = await File.ReadAllTextAsync(Path.Combine(root, "firmware", "README.md"));
        System.Text.RegularExpressions.Match row = System.Text.RegularExpressions.Regex.Match(readme, @"\(nanoff --fwversion\)\s*\|\s*`([0-9.]+)`");
        Assert.True(row.Success, "firmware/README.md has no firmware row in its pinning table");
        Assert.Equal(FirmwarePin.Version, row.Groups[1].Value);

        var (code, stdout, _) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--firmware-only", "--dry-run"]);
        Assert.Equal(0, code);
        Assert.Contains("--update --fwversion " + row.Groups[1].Value, stdout, StringComparison.Ordinal);
        Assert.Contains("nanoFramework firmware " + row.Groups[1].Value, stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Firmware_only_and_app_only_select_their_steps()
    {
        var (_, fw, _) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--firmware-only", "--dry-run"]);
        Assert.Contains("--update", fw, StringComparison.Ordinal);
        Assert.DoesNotContain("--deploy", fw, StringComparison.Ordinal);
        var (_, app, _) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--app-only", "--dry-run"]);
        Assert.DoesNotContain("--update", app, StringComparison.Ordinal);
        Assert.Contains("--filedeployment", app, StringComparison.Ordinal);
        var (code, _, err) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0", "--app-only", "--firmware-only", "--dry-run"]);
        Assert.NotEqual(0, code);
        Assert.Contains("exclude each other", err, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_nanoff_on_the_path_it_explains_how_to_install_it()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "flash", "--port", "/dev/ttyUSB0"], new Dictionary<string, string?> { ["PATH"] = "/nonexistent" });
        Assert.Equal(5, code);
        Assert.Contains("dotnet tool install -g nanoff", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_port_it_lists_the_ports_and_asks_for_one()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["node", "flash", "--dry-run"]);
        Assert.Equal(1, code);
        Assert.Contains("port", stdout + stderr, StringComparison.OrdinalIgnoreCase);
    }
}
