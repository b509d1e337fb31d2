using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using EdgeSensors.Ioc.Ingest.Options;

namespace EdgeSensors.Ioc.Ingest.Web;

/// <summary>
/// Who may read the ingest's API (issue 32: it had no authentication). Two bearer tokens: "operator" reads everything,
/// the parked messages' bodies included; "dashboard" reads the completeness report only. No default token: at the
/// first start each is drawn at random (32 bytes) into <see cref="ApiOptions.TokensFile"/>, readable by the service's
/// user only, and the log says where, never what. /health and /metrics stay open: they carry counts, not data.
/// </summary>
public sealed class ApiTokens
{
    public const string Operator = "operator";
    public const string Dashboard = "dashboard";
    private readonly (string Role, byte[] Token)[] _tokens;

    private ApiTokens((string, byte[])[] tokens, string path)
    {
        _tokens = tokens;
        Path = path;
    }

    /// <summary>Where the tokens are kept.</summary>
    public string Path { get; }

    /// <summary>The tokens file configured, or next to the SQLite store, or ./ingest-data/api-tokens.json.</summary>
    public static string PathFor(IngestOptions o) =>
        o.Api.TokensFile is { Length: > 0 } f ? f
        : o.Store.Kind == "sqlite" ? System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(o.Store.SqlitePath))!, "api-tokens.json")
        : System.IO.Path.GetFullPath(System.IO.Path.Combine("ingest-data", "api-tokens.json"));

    /// <summary>Reads the tokens file, or creates it with fresh random tokens (mode 600).</summary>
    public static ApiTokens LoadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Directory.CreateDirectory(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(path))!);
            var fresh = new Dictionary<string, string>
            {
                [Operator] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
                [Dashboard] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'),
            };
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            using (var w = new StreamWriter(path, Encoding.UTF8, options))
            {
                w.Write(JsonSerializer.Serialize(fresh));
            }
        }

        Dictionary<string, string> map;
        try
        {
            map = JsonSerializer.Deserialize<Dictionary<string, string>>(File.ReadAllText(path)) ?? [];
        }
        catch (JsonException ex)
        {
            throw new InvalidOperationException($"{path} is not the ingest's API tokens file ({{\"operator\":…,\"dashboard\":…}}): {ex.Message}");
        }

        var tokens = map.Where(kv => kv.Key is Operator or Dashboard && kv.Value.Length >= 16).Select(kv => (kv.Key, Encoding.UTF8.GetBytes(kv.Value))).ToArray();
        return tokens.Length == 0
            ? throw new InvalidOperationException($"{path} holds no operator or dashboard token of at least 16 characters")
            : new ApiTokens(tokens, path);
    }

    /// <summary>The role of the bearer token in an Authorization header, or null (compared in constant time).</summary>
    public string? RoleOf(string? authorization)
    {
        if (authorization is not { Length: > 7 } || !authorization.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return null;
        }

        byte[] presented = Encoding.UTF8.GetBytes(authorization[7..].Trim());
        string? role = null;
        foreach ((string r, byte[] token) in _tokens)
        {
            if (CryptographicOperations.FixedTimeEquals(presented, token))
            {
                role = r;
            }
        }

        return role;
    }

    /// <summary>An endpoint filter: 401 without a valid token, 403 when the token's role is not among <paramref name="roles"/>.</summary>
    public static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> Require(params string[] roles) => async (context, next) =>
    {
        ApiTokens tokens = context.HttpContext.RequestServices.GetRequiredService<ApiTokens>();
        string? role = tokens.RoleOf(context.HttpContext.Request.Headers.Authorization);
        if (role == null)
        {
            context.HttpContext.Response.Headers.WWWAuthenticate = "Bearer";
            return Results.Json(new { error = "a bearer token is needed (operator or dashboard; docs/ioc-ingest.md)" }, statusCode: StatusCodes.Status401Unauthorized);
        }

        return roles.Contains(role) ? await next(context).ConfigureAwait(false)
            : Results.Json(new { error = $"the {role} token may not read this" }, statusCode: StatusCodes.Status403Forbidden);
    };
}
