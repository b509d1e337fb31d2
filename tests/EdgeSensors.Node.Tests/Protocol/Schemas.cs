using System.Text.Json.Nodes;
using Json.Schema;

namespace EdgeSensors.Node.Tests.Protocol;

/// <summary>The protocol's JSON Schemas from docs/schemas, loaded once with their cross-references resolvable.</summary>
public static class Schemas
{
    private static readonly Lazy<Dictionary<string, JsonSchema>> All = new(Load);

    public static string Directory => Path.Combine(AppContext.BaseDirectory, "Docs", "schemas");

    public static IReadOnlyCollection<string> Names => All.Value.Keys;

    /// <summary>Validates a JSON document against the named schema ("telemetry" → telemetry.schema.json); returns the errors.</summary>
    public static IReadOnlyList<string> Validate(string name, string json)
    {
        Assert.True(All.Value.ContainsKey(name), $"no schema named {name}");
        JsonNode? node = JsonNode.Parse(json);
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        foreach (JsonSchema schema in All.Value.Values)
        {
            options.SchemaRegistry.Register(schema);
        }

        EvaluationResults results = All.Value[name].Evaluate(node, options);
        if (results.IsValid)
        {
            return [];
        }

        return (results.Details ?? [])
            .Where(d => d.Errors != null)
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}"))
            .ToList();
    }

    private static Dictionary<string, JsonSchema> Load()
    {
        var map = new Dictionary<string, JsonSchema>();
        foreach (string file in System.IO.Directory.GetFiles(Directory, "*.schema.json"))
        {
            string name = Path.GetFileName(file)[..^".schema.json".Length];
            map[name] = JsonSchema.FromText(File.ReadAllText(file));
        }

        return map;
    }
}
