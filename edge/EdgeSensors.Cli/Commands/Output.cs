using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>Shared output helpers: JSON for scripts, sentences for people.</summary>
public static class Output
{
    public static readonly JsonSerializerOptions Pretty = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };

    public static Console2 For(ParseResult p) => new(p.InvocationConfiguration.Output, p.InvocationConfiguration.Error);

    public static bool Json(ParseResult p) => p.GetValue(GatewayTarget.Json);

    public static void WriteJson(ParseResult p, object value) => p.InvocationConfiguration.Output.WriteLine(JsonSerializer.Serialize(value, Pretty));

    public static string Str(JsonElement e, string name) => e.TryGetProperty(name, out JsonElement v) && v.ValueKind != JsonValueKind.Null ? v.ToString() : "—";
}
