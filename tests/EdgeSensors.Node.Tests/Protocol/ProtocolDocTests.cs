using System.Text.RegularExpressions;

namespace EdgeSensors.Node.Tests.Protocol;

public partial class ProtocolDocTests
{
    [GeneratedRegex("```json ([a-z-]+)\\n(.*?)\\n```", RegexOptions.Singleline)]
    private static partial Regex ExampleBlock();

    private static List<(string Schema, string Json, int Index)> Examples()
    {
        string doc = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "protocol.md"));
        return ExampleBlock().Matches(doc).Select((m, i) => (m.Groups[1].Value, m.Groups[2].Value, i)).ToList();
    }

    public static TheoryData<string, int> ExampleIds()
    {
        var data = new TheoryData<string, int>();
        foreach (var e in Examples())
        {
            data.Add(e.Schema, e.Index);
        }

        return data;
    }

    /// <summary>
    /// The doc tells a technician how a node connects by default; the firmware's <c>NodeConfig</c> and
    /// <c>MqttPorts</c> are that default's one home, and the doc must say what they hold.
    /// </summary>
    [Fact]
    public void The_docs_connection_defaults_are_the_firmwares()
    {
        // The doc's lines wrap anywhere: compared as one line.
        string doc = Regex.Replace(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Docs", "protocol.md")), @"\s+", " ");
        var defaults = new EdgeSensors.Node.Config.NodeConfig();
        Assert.True(defaults.GatewayTls);
        Assert.Equal(EdgeSensors.Node.Protocol.MqttPorts.Tls, defaults.GatewayPort);
        Assert.Contains($"The node connects with TLS ({EdgeSensors.Node.Protocol.MqttPorts.Tls})", doc, StringComparison.Ordinal);
        Assert.Contains($"MQTT ({EdgeSensors.Node.Protocol.MqttPorts.Plain}, `\"tls\":false`)", doc, StringComparison.Ordinal);
        Assert.Contains($"`gateway.tls` {defaults.GatewayTls.ToString().ToLowerInvariant()}, `gateway.port` {defaults.GatewayPort}", doc, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(ExampleIds))]
    public void Every_example_in_the_protocol_doc_validates_against_its_schema(string schema, int index)
    {
        var example = Examples()[index];
        Assert.Equal(schema, example.Schema);
        IReadOnlyList<string> errors = Schemas.Validate(schema, example.Json);
        Assert.True(errors.Count == 0, $"example #{index} ({schema}) is invalid:\n{string.Join("\n", errors)}");
    }

    [Fact]
    public void Every_message_schema_has_an_example_in_the_doc()
    {
        var covered = Examples().Select(e => e.Schema).ToHashSet();
        var messageSchemas = Schemas.Names.Where(n => n != "reading-fields");
        Assert.All(messageSchemas, n => Assert.Contains(n, covered));
    }

    [Theory]
    [InlineData("telemetry", "{\"v\":1,\"node\":\"Bad_Id\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":0,\"sync\":true,\"r\":{}}]}")]
    [InlineData("telemetry", "{\"v\":1,\"node\":\"a\",\"boot\":1,\"samples\":[]}")]
    [InlineData("telemetry", "{\"v\":1,\"node\":\"a\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":0,\"sync\":true,\"r\":{\"salinity\":1}}]}")]
    [InlineData("config", "{\"v\":1,\"interval_s\":0}")]
    [InlineData("ioc-readings", "{\"v\":1,\"site\":\"s\",\"node\":\"n\",\"readings\":[{\"boot\":1,\"seq\":1,\"ts\":0,\"rx\":0,\"sync\":true,\"q\":\"fine\",\"r\":{}}]}")]
    public void Schemas_reject_wrong_documents(string schema, string json)
    {
        Assert.NotEmpty(Schemas.Validate(schema, json));
    }
}
