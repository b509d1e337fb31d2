using System.Text.Json;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Tests.Cli;

public class SalinityCommandTests
{
    [Fact]
    public void Plain_output_is_one_line_in_per_mille_with_the_inputs_echoed()
    {
        var (code, stdout, _) = CliRunner.Run("salinity", "--ec", "34.5487", "--temp", "28.7856", "--pressure", "10");
        Assert.Equal(0, code);
        string[] lines = stdout.Trim().Split('\n');
        Assert.Single(lines);
        Assert.Contains("20.01 ‰", lines[0], StringComparison.Ordinal);
        Assert.Contains("34.549 mS/cm", lines[0], StringComparison.Ordinal);
        Assert.Contains("28.8 °C", lines[0], StringComparison.Ordinal);
        Assert.Contains("10.0 dbar", lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Json_output_carries_the_exact_practical_salinity()
    {
        var (code, stdout, _) = CliRunner.Run("salinity", "--ec", "34.5487", "--temp", "28.7856", "--pressure", "10", "--json");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        Assert.Equal(20.009869599086951, doc.RootElement.GetProperty("practical_salinity").GetDouble(), 1e-9);
        Assert.Equal("PSS-78", doc.RootElement.GetProperty("algorithm").GetString());
    }

    [Fact]
    public void Low_salinity_uses_the_Hill_extension_and_ec25_is_uncompensated()
    {
        var (code, stdout, _) = CliRunner.Run("salinity", "--ec", "2.5", "--temp", "30", "--ec25", "--alpha", "0.02", "--json");
        Assert.Equal(0, code);
        using JsonDocument doc = JsonDocument.Parse(stdout);
        double inSitu = ConductivityProbe.InSituFromEc25(2.5, 30, 0.02);
        Assert.Equal(inSitu, doc.RootElement.GetProperty("ec_in_situ_ms_cm").GetDouble(), 12);
        Assert.Equal(PracticalSalinity.FromConductivity(inSitu, 30, 0), doc.RootElement.GetProperty("practical_salinity").GetDouble(), 12);
        Assert.Contains("Hill", doc.RootElement.GetProperty("algorithm").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--ec", "-1", "--temp", "25")]
    [InlineData("--temp", "25")]
    [InlineData("--ec", "5")]
    [InlineData("--ec", "5", "--temp", "41")]
    [InlineData("--ec", "5", "--temp", "-2.5")]
    [InlineData("--ec", "abc", "--temp", "25")]
    [InlineData("--ec", "5", "--temp", "25", "--pressure", "-3")]
    public void Bad_arguments_exit_non_zero_with_a_clear_message(params string[] args)
    {
        var (code, stdout, stderr) = CliRunner.Run(["salinity", .. args]);
        Assert.NotEqual(0, code);
        Assert.True(stderr.Length > 0, stdout);
        Assert.Matches("--ec|--temp|--pressure|required|Cannot parse", stderr);
    }
}
