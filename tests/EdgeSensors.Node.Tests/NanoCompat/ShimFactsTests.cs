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
    [InlineData("M2Mqtt.Enums.cs", "TLSv1_2 = 4,", "TLSv1_2 = 3,", "nanoFramework.M2Mqtt.MqttSslProtocols.TLSv1_2: value is 3")]
    [InlineData("Esp32.Enums.cs", "I2C1_DATA = 0x20100,", "I2C1_DATA = 0x0100,", "DeviceFunction.I2C1_DATA: value is 256")]
    [InlineData("Gpio.cs", "public sealed class GpioController", "public class GpioController", "GpioController: not sealed")]
    [InlineData("Bmxx80.cs", "public bool HumidityIsValid => throw new NotSupportedException();", "public bool HumidityIsValid { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }", "HumidityIsValid: has a public setter")]
    [InlineData("Ads1115.Enums.cs", "FS2048 = 0x02,", "FS2048 = 0x03,", "MeasuringRange.FS2048: value is 3")]
    [InlineData("Streams.cs", "public abstract class Stream : MarshalByRefObject, IDisposable", "public abstract class Stream : IDisposable", "Stream: derives from object")]
    [InlineData("Bmxx80.cs", "public class Bme280 : Bmx280Base", "public class Bme280 : Bmxx80Base", "Bme280: derives from Iot.Device.Bmxx80.Bmxx80Base")]
    [InlineData("RuntimeNative.Enums.cs", "    public enum RebootOption", "    [System.Flags]\n    public enum RebootOption", "RebootOption: is [Flags]")]
    [InlineData("RuntimeNative.Enums.cs", "ClrOnly = 2,", "ClrOnly = 2,\n        WaitForDebugger = 4,", "RebootOption: members are")]
    [InlineData("Gpio.cs", "public sealed class GpioPin", "public class GpioPin", "GpioPin: not sealed")]
    [InlineData("FileSystem.cs", "    [Flags]\n    public enum FileAccess", "    public enum FileAccess", "FileAccess: is not [Flags]")]
    [InlineData("M2Mqtt.Enums.cs", "public enum MqttQoSLevel", "public enum MqttQoSLevel : byte", "MqttQoSLevel: underlying type is byte")]
    [InlineData("M2Mqtt.cs", "public bool IsPublished { get => throw new NotSupportedException(); internal set => throw new NotSupportedException(); }", "public bool IsPublished => throw new NotSupportedException();", "IsPublished: has no setter")]
    [InlineData("Networking.cs", "WifiReconnectionKind reconnectionKind = System.Device.Wifi.WifiReconnectionKind.Automatic, bool requiresDateTime = false, int wifiAdapter = 0, CancellationToken token = default)", "WifiReconnectionKind reconnectionKind, bool requiresDateTime, int wifiAdapter, CancellationToken token)", "ConnectDhcp: 0 optional parameters")]
    [InlineData("RuntimeNative.cs", "public static long TickCount64", "public static long TickCount", "Environment.TickCount64: not declared")]
    public void A_planted_error_in_a_shim_is_caught(string file, string right, string wrong, string expected)
    {
        right = right.Replace("\\n", "\n", StringComparison.Ordinal);
        wrong = wrong.Replace("\\n", "\n", StringComparison.Ordinal);
        Dictionary<string, string> sources = ShimFacts.ShimSources();
        Assert.Contains(right, sources[file], StringComparison.Ordinal);
        sources[file] = sources[file].Replace(right, wrong, StringComparison.Ordinal);
        List<string> problems = ShimFacts.Violations(ShimFacts.Compile(sources), ShimFacts.Load());
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }
}
