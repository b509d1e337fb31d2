namespace EdgeSensors.Node.Tests.NanoCompat;

/// <summary>The shims say what the libraries say: every transcribed fact holds, and the check catches a planted error.</summary>
public class ShimFactsTests
{
    [Fact]
    public void Every_shim_agrees_with_the_facts_transcribed_from_the_library_sources()
    {
        IReadOnlyList<ShimFacts.Fact> facts = ShimFacts.Load();
        Assert.True(facts.Count >= 30, "the fact table is unexpectedly short");
        Assert.All(facts, f => Assert.False(string.IsNullOrWhiteSpace(f.Source), $"{f.Type}.{f.Member} names no source"));
        List<string> problems = ShimFacts.Violations(ShimFacts.Compile(ShimFacts.ShimSources()), facts);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Theory]
    [InlineData("M2Mqtt.cs", "TLSv1_2 = 4,", "TLSv1_2 = 3,", "nanoFramework.M2Mqtt.MqttSslProtocols.TLSv1_2: value is 3")]
    [InlineData("Esp32.cs", "I2C1_DATA = 0x20100,", "I2C1_DATA = 0x0100,", "DeviceFunction.I2C1_DATA: value is 256")]
    [InlineData("Gpio.cs", "public sealed class GpioController", "public class GpioController", "GpioController: not sealed")]
    [InlineData("Bmxx80.cs", "public bool HumidityIsValid => throw new NotSupportedException();", "public bool HumidityIsValid { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }", "HumidityIsValid: has a public setter")]
    [InlineData("Ads1115.cs", "FS2048 = 0x02,", "FS2048 = 0x03,", "MeasuringRange.FS2048: value is 3")]
    public void A_planted_error_in_a_shim_is_caught(string file, string right, string wrong, string expected)
    {
        Dictionary<string, string> sources = ShimFacts.ShimSources();
        Assert.Contains(right, sources[file], StringComparison.Ordinal);
        sources[file] = sources[file].Replace(right, wrong, StringComparison.Ordinal);
        List<string> problems = ShimFacts.Violations(ShimFacts.Compile(sources), ShimFacts.Load());
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
