using System.Text.Json;

namespace EdgeSensors.Cli.Tests;

/// <summary>
/// Issue 16, scope 2: numbers are read by one rule (a decimal point or a decimal comma) or refused with that rule,
/// never rescaled; garbage arguments to any command end in exit code 1 and a reason, never a stack trace.
/// </summary>
public sealed class ArgumentTests
{
    [Theory]
    [InlineData("4,5")]
    [InlineData("4.5")]
    public async Task A_decimal_comma_and_a_decimal_point_read_the_same(string ec)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["salinity", "--ec", ec, "--temp", "28", "--json"]);
        Assert.True(code == 0, stderr);
        double sp = JsonDocument.Parse(stdout).RootElement.GetProperty("salinity_ppt").GetDouble();
        Assert.InRange(sp, 2.2, 2.3); // 4.5 mS/cm at 28 °C is about 2.25 ‰ — never the 27 ‰ of "45"
    }

    [Fact]
    public async Task The_decimal_comma_is_read_under_a_Vietnamese_locale_too()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["salinity", "--ec", "4,5", "--temp", "28,0", "--json"], new Dictionary<string, string?> { ["LANG"] = "vi_VN.UTF-8", ["LC_ALL"] = "vi_VN.UTF-8" });
        Assert.True(code == 0, stderr);
        Assert.InRange(JsonDocument.Parse(stdout).RootElement.GetProperty("salinity_ppt").GetDouble(), 2.2, 2.3);
    }

    [Theory]
    [InlineData("1,234.5")]
    [InlineData("1.234,5")]
    [InlineData("4 5")]
    [InlineData("abc")]
    [InlineData("0x10")]
    public async Task A_number_the_rule_does_not_cover_is_refused_naming_the_rule(string ec)
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["salinity", "--ec", ec, "--temp", "28"]);
        Assert.Equal(1, code);
        Assert.Contains("decimal point or a decimal comma", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Unhandled exception", stderr, StringComparison.Ordinal);
    }

    public static TheoryData<string[]> Commands => new()
    {
        { ["salinity"] }, { ["node", "add"] }, { ["node", "list"] }, { ["node", "show"] }, { ["node", "rotate-secret"] }, { ["node", "remove"] },
        { ["node", "config"] }, { ["node", "flash"] }, { ["node", "calibrate"] }, { ["node", "watch"] },
        { ["operator", "add"] }, { ["operator", "revoke"] }, { ["operator", "list"] }, { ["operator", "audit"] }, { ["operator", "rotate-admin"] },
        { ["gateway", "status"] }, { ["status"] }, { ["doctor"] }, { [] },
    };

    [Theory]
    [MemberData(nameof(Commands))]
    public async Task Garbage_arguments_to_any_command_exit_1_with_a_reason_and_no_stack_trace(string[] command)
    {
        string[][] garbage =
        [
            ["--ec", "--temp", "28"],
            ["--no-such-option", "x"],
            ["--limit", "many", "--interval", "-3", "--lat", "north", "--timeout", "1e999", "--gateway-port", "99999"],
            ["\u0001", "%s%s%n", new string('x', 5000)],
        ];
        foreach (string[] g in garbage)
        {
            var (code, stdout, stderr) = await CliProcess.RunAsync([.. command, .. g]);
            string all = stdout + stderr;
            Assert.True(code == 1, $"edgesensors {string.Join(' ', command)} {string.Join(' ', g)[..Math.Min(80, string.Join(' ', g).Length)]}: exit {code}\n{all}");
            Assert.DoesNotContain("Unhandled exception", all, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", all, StringComparison.Ordinal);
            Assert.True(stderr.Trim().Length > 0, "no reason given on stderr");
        }
    }
}
