using System.Text.Json;
using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Node.Filters;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Gateway.Tests.Architecture;

/// <summary>
/// Vocabularies that cross a boundary have one home in code; the published schemas and docs say the same words:
/// the node's fault codes (node → gateway → page) and the gateway's alert kinds (gateway → IOC).
/// </summary>
public sealed class VocabularyJointTests
{
    private static string Root => LayeringTests.RepoRoot();

    private static string[] FaultKinds()
    {
        var kinds = new List<string> { "low_cutoff" };
        foreach (SensorFault f in Enum.GetValues<SensorFault>().Where(f => f != SensorFault.None))
        {
            kinds.Add(SampleProcessor.FaultName(f));
        }

        return [.. kinds.Order(StringComparer.Ordinal)];
    }

    [Fact]
    public void The_status_schema_lists_exactly_the_fault_codes_the_node_program_sends()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "docs", "schemas", "status.schema.json")));
        string pattern = schema.RootElement.GetProperty("properties").GetProperty("faults").GetProperty("items").GetProperty("pattern").GetString()!;
        string[] inSchema = [.. Regex.Match(pattern, @":\(([^)]+)\)\$").Groups[1].Value.Split('|').Order(StringComparer.Ordinal)];
        Assert.Equal(FaultKinds(), inSchema);
        Assert.All(FaultKinds(), k => Assert.True(k == "low_cutoff" ? FaultCodes.IsKnown("battery_v:low_cutoff") : FaultCodes.IsKnown("ec_ms_cm:" + k), k));
        Assert.Contains("{1," + FaultCodes.MaxFieldLength + "}", pattern, StringComparison.Ordinal);
    }

    [Fact]
    public void The_protocol_document_names_every_fault_code_the_node_program_sends()
    {
        string doc = File.ReadAllText(Path.Combine(Root, "docs", "protocol.md"));
        Assert.All(FaultKinds().Where(k => k != "low_cutoff"), k => Assert.Contains("`" + k + "`", doc, StringComparison.Ordinal));
    }

    [Fact]
    public void The_IOC_alert_schema_lists_exactly_the_gateway_s_alert_kinds()
    {
        using JsonDocument schema = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "docs", "schemas", "ioc-alert.schema.json")));
        string[] inSchema = [.. schema.RootElement.GetProperty("properties").GetProperty("kind").GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).Order(StringComparer.Ordinal)];
        string[] inCode = [.. Enum.GetValues<AlertKind>().Select(AlertKinds.WireName).Order(StringComparer.Ordinal)];
        Assert.Equal(inCode, inSchema);

        // …and the farmers' page has a label for each, in both languages.
        string page = File.ReadAllText(Path.Combine(Root, "edge", "EdgeSensors.Gateway", "wwwroot", "app.js"));
        Assert.All(inCode, k => Assert.Equal(2, Regex.Count(page, "k_" + k + ":")));
    }

    [Fact]
    public void The_AC_fail_contact_s_defaults_are_the_ones_the_gateway_README_and_the_wiring_state()
    {
        var defaults = new EdgeSensors.Gateway.Gpio.GpioOptions();
        string readme = File.ReadAllText(Path.Combine(Root, "edge", "EdgeSensors.Gateway", "README.md"));
        Assert.Contains($"| `Gpio:AcFailMonitor`, `Gpio:AcFailPin` | {(defaults.AcFailMonitor ? "true" : "false")}, {defaults.AcFailPin} |", readme, StringComparison.Ordinal);
        string wiring = File.ReadAllText(Path.Combine(Root, "hardware", "gateway-pi", "README.md"));
        Assert.Matches($@"GPIO {defaults.AcFailPin}\s+UPS AC-fail contact", wiring);
    }
}
