using System.Globalization;
using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Cli.Tests;

/// <summary>One home for the node's defaults: the firmware's NodeConfig. The CLI and docs/protocol.md say the same.</summary>
public sealed class DefaultsTests
{
    [Fact]
    public async Task Node_config_without_options_writes_the_firmware_defaults()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "node.json");
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-defaults-1", "--secret", "a-long-enough-node-secret", "--wifi-ssid", "UBND-ViThanh",
            "--wifi-password", "mat-khau-wifi", "--gateway-host", "192.168.1.10", "--plaintext", "--no-check", "--out", file]);
        Assert.True(code == 0, stderr);
        NodeConfig? written = ConfigDecoder.DecodeDevice(await File.ReadAllBytesAsync(file), out string error);
        Assert.True(written != null, error);

        var firmware = new NodeConfig();
        Assert.Equal(
            (firmware.IntervalSeconds, firmware.Mode, firmware.BurstSize, firmware.EmaAlpha, firmware.OutboxCapacity),
            (written.IntervalSeconds, written.Mode, written.BurstSize, written.EmaAlpha, written.OutboxCapacity));
        Assert.Equal(
            (firmware.EcGain, firmware.EcOffset, firmware.EcAlpha, firmware.EcMsCmPerVolt, firmware.BatteryGain),
            (written.EcGain, written.EcOffset, written.EcAlpha, written.EcMsCmPerVolt, written.BatteryGain));
        Assert.Equal(
            (firmware.LevelSource, firmware.PressureReference, firmware.PressureZeroVolts, firmware.PressureHpaPerVolt, firmware.SensorElevationM, firmware.MountElevationM, firmware.Latitude),
            (written.LevelSource, written.PressureReference, written.PressureZeroVolts, written.PressureHpaPerVolt, written.SensorElevationM, written.MountElevationM, written.Latitude));
    }

    [Fact]
    public async Task Node_config_without_plaintext_writes_the_firmwares_connection_defaults_TLS_on_the_TLS_port()
    {
        // Issue 30: the firmware defaulted to plain MQTT on 1883 while the CLI wrote TLS on 8883; now one home.
        using var dir = new TempDir();
        using var key = System.Security.Cryptography.ECDsa.Create();
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=test gateway CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new System.Security.Cryptography.X509Certificates.X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));
        string caFile = Path.Combine(dir.Path, "ca.crt");
        await File.WriteAllTextAsync(caFile, ca.ExportCertificatePem());
        string file = Path.Combine(dir.Path, "node.json");
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-defaults-2", "--secret", "a-long-enough-node-secret", "--wifi-ssid", "UBND-ViThanh",
            "--wifi-password", "mat-khau-wifi", "--gateway-host", "192.168.1.10", "--ca", caFile, "--no-check", "--out", file]);
        Assert.True(code == 0, stderr);
        NodeConfig? written = ConfigDecoder.DecodeDevice(await File.ReadAllBytesAsync(file), out string error);
        Assert.True(written != null, error);
        var firmware = new NodeConfig();
        Assert.Equal((firmware.GatewayTls, firmware.GatewayPort), (written.GatewayTls, written.GatewayPort));
        Assert.Equal(EdgeSensors.Node.Protocol.MqttPorts.Tls, written.GatewayPort);
    }

    [Fact]
    public void The_protocol_document_states_the_firmware_defaults()
    {
        string root = AppContext.BaseDirectory;
        while (!File.Exists(Path.Combine(root, "EdgeSensors.sln")))
        {
            root = Path.GetDirectoryName(root)!;
        }

        string doc = File.ReadAllText(Path.Combine(root, "docs", "protocol.md"));
        var firmware = new NodeConfig();
        Match alpha = Regex.Match(doc, @"\| `calibration\.ec_alpha` \|[^\n]*\*\*([0-9.]+)\*\* \(default\)");
        Assert.True(alpha.Success, "docs/protocol.md no longer states the ec_alpha default");
        Assert.Equal(firmware.EcAlpha, double.Parse(alpha.Groups[1].Value, CultureInfo.InvariantCulture));
        Match transfer = Regex.Match(doc, @"\| `calibration\.ec_ms_cm_per_v` \|[^\n]*\(default ([0-9.]+)");
        Assert.True(transfer.Success, "docs/protocol.md no longer states the ec_ms_cm_per_v default");
        Assert.Equal(firmware.EcMsCmPerVolt, double.Parse(transfer.Groups[1].Value, CultureInfo.InvariantCulture));
    }
}
