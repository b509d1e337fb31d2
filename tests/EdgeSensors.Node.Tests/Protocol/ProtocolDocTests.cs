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
