using System.CommandLine;

namespace EdgeSensors.Cli.Commands;

/// <summary>How a command reaches the gateway: its HTTP API with the operator token, or its data folder when it is stopped.</summary>
public sealed class GatewayTarget
{
    public static readonly Option<string> Url = new("--gateway-url")
    {
        Description = "The gateway's HTTP address (env EDGESENSORS_GATEWAY_URL).",
        DefaultValueFactory = _ => Environment.GetEnvironmentVariable("EDGESENSORS_GATEWAY_URL") ?? "http://127.0.0.1:8080",
        Recursive = true,
    };

    public static readonly Option<string?> Token = new("--token")
    {
        Description = "Operator token (env EDGESENSORS_OPERATOR_TOKEN; else read from <data-dir>/operator.token).",
        Recursive = true,
    };

    public static readonly Option<string?> DataDir = new("--data-dir")
    {
        Description = "The gateway's data folder, used directly when the gateway is stopped (default /var/lib/edgesensors if it exists).",
        Recursive = true,
    };

    public static readonly Option<bool> Json = new("--json") { Description = "Print JSON for scripts instead of sentences.", Recursive = true };

    public static void AddTo(Command root)
    {
        root.Options.Add(Url);
        root.Options.Add(Token);
        root.Options.Add(DataDir);
        root.Options.Add(Json);
    }

    public static string? ResolveDataDir(ParseResult p)
    {
        string? d = p.GetValue(DataDir);
        if (d != null)
        {
            return d;
        }

        return Directory.Exists("/var/lib/edgesensors") ? "/var/lib/edgesensors" : null;
    }

    public static string? ResolveToken(ParseResult p)
    {
        string? t = p.GetValue(Token) ?? Environment.GetEnvironmentVariable("EDGESENSORS_OPERATOR_TOKEN");
        if (t != null)
        {
            return t;
        }

        string? dir = ResolveDataDir(p);
        string file = Path.Combine(dir ?? "edge/EdgeSensors.Gateway/data", "operator.token");
        try
        {
            return File.Exists(file) ? File.ReadAllText(file).Trim() : null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
