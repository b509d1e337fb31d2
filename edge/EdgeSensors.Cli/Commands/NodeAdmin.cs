using EdgeSensors.Gateway.UseCases;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Cli.Commands;

/// <summary>Outcome of an admin call: a status and either a JSON body or an error sentence.</summary>
public sealed record AdminResult(int ExitCode, JsonElement? Body, string? Error)
{
    public bool Ok => ExitCode == ExitCodes.Ok;
}

/// <summary>
/// Node registry operations for the CLI: through the running gateway's operator API, or — when it is stopped — on its
/// store directly, with the gateway's own registry code (so the same hashing and checks apply).
/// </summary>
public sealed class NodeAdmin : IDisposable
{
    private static readonly JsonSerializerOptions Snake = new() { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower };
    private readonly HttpClient? _http;
    private readonly EdgeDatabase? _db;
    private readonly NodeRegistry? _registry;

    private readonly OperatorAccountStore? _accounts;
    private readonly AuditStore? _audit;
    private readonly SmsStore? _sms;

    private NodeAdmin(HttpClient? http, EdgeDatabase? db)
    {
        _sms = db == null ? null : new SmsStore(db);
        _http = http;
        _db = db;
        _registry = db == null ? null : new NodeRegistry(db);
        _accounts = db == null ? null : new OperatorAccountStore(db);
        _audit = db == null ? null : new AuditStore(db);
    }

    /// <summary>Who acts when the CLI works on a stopped gateway's store directly (the audit log names them).</summary>
    private static string LocalAccount => "local:" + Environment.UserName;

    private Task AuditAsync(string action, string target, string? detail, CancellationToken ct) =>
        _audit!.RecordAsync(LocalAccount, action, target, detail, ct);

    public async Task<AdminResult> AddOperatorAsync(string name, string role, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Post, "/api/operators", new { name, role }, ct).ConfigureAwait(false);
        }

        // Same rules, error text and audit entry as the API: the core's use case over the stopped gateway's store.
        UseCaseOutcome<OperatorCreated> outcome = await new OperatorAdministration(_accounts!, _audit!).AddAsync(LocalAccount, name, role, ct).ConfigureAwait(false);
        return outcome.Status == UseCaseStatus.Ok ? Ok(new { name = outcome.Value!.Name, role = outcome.Value.Role, token = outcome.Value.Token }) : Refusal(outcome);
    }

    /// <summary>A use case's refusal as the CLI's exit code and message (the same text the API gives).</summary>
    private static AdminResult Refusal<T>(UseCaseOutcome<T> outcome) => new(outcome.Status switch
    {
        UseCaseStatus.NotFound => ExitCodes.NotFound,
        UseCaseStatus.Conflict => ExitCodes.Conflict,
        _ => ExitCodes.Usage,
    }, null, outcome.Error);

    public async Task<AdminResult> RevokeOperatorAsync(string name, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Delete, $"/api/operators/{Uri.EscapeDataString(name)}", null, ct).ConfigureAwait(false);
        }

        if (!await _accounts!.RevokeAsync(name, ct).ConfigureAwait(false))
        {
            return new AdminResult(ExitCodes.NotFound, null, $"no active account \"{name}\"");
        }

        await AuditAsync("operator_revoke", name, null, ct).ConfigureAwait(false);
        return Ok(new { name, revoked = true });
    }

    /// <summary>A new bootstrap admin token: through the API, or (gateway stopped) written into the data folder's operator.token.</summary>
    public async Task<AdminResult> RotateAdminTokenAsync(string? dataDir, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Post, "/api/operators/admin/rotate-token", null, ct).ConfigureAwait(false);
        }

        string file = Path.Combine(dataDir!, "operator.token");
        string token = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(24));
        EdgeSensors.Gateway.Security.SecretFile.Write(file, token + "\n");
        await AuditAsync("admin_token_rotate", file, null, ct).ConfigureAwait(false);
        return Ok(new { token, file });
    }

    public async Task<AdminResult> ListOperatorsAsync(CancellationToken ct) =>
        _http != null ? await Send(HttpMethod.Get, "/api/operators", null, ct).ConfigureAwait(false) : Ok(_accounts!.List());

    public async Task<AdminResult> AuditLogAsync(int limit, CancellationToken ct) =>
        _http != null ? await Send(HttpMethod.Get, $"/api/audit?limit={limit}", null, ct).ConfigureAwait(false) : Ok(_audit!.List(limit));

    /// <summary>Subscribes a farmer's number to a station's SMS alerts for a crop (consent given in person now).</summary>
    public async Task<AdminResult> SmsSubscribeAsync(string phone, string node, string profile, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Post, "/api/sms/subscribers", new { phone, node, profile }, ct).ConfigureAwait(false);
        }

        // Same rules, error text and audit entry as the API (the core's SmsSubscriptions). Offline, only the built-in
        // crop profiles are known (profiles added in the gateway's configuration need the running gateway).
        UseCaseOutcome<SmsSubscribed> r = await new SmsSubscriptions(_sms!, _registry!, _audit!, EdgeSensors.Gateway.Alerts.CropProfiles.Defaults)
            .SubscribeAsync(LocalAccount, LocalAccount, phone, node, profile, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Ok(new { phone = r.Value!.Phone, node = r.Value.Node, profile = r.Value.Profile }) : Refusal(r);
    }

    public async Task<AdminResult> SmsCancelAsync(string phone, string? node, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Delete, $"/api/sms/subscribers?phone={Uri.EscapeDataString(phone)}{(node == null ? string.Empty : "&node=" + Uri.EscapeDataString(node))}", null, ct).ConfigureAwait(false);
        }

        var r = await new SmsSubscriptions(_sms!, _registry!, _audit!, EdgeSensors.Gateway.Alerts.CropProfiles.Defaults).CancelAsync(LocalAccount, LocalAccount, phone, node, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Ok(new { phone = r.Value.Phone, removed = r.Value.Removed }) : Refusal(r);
    }

    public async Task<AdminResult> SmsSubscribersAsync(string? node, CancellationToken ct) =>
        _http != null ? await Send(HttpMethod.Get, "/api/sms/subscribers" + (node == null ? string.Empty : "?node=" + Uri.EscapeDataString(node)), null, ct).ConfigureAwait(false) : Ok(_sms!.Subscriptions(node));

    public async Task<AdminResult> SmsTextsAsync(string? node, int limit, CancellationToken ct) =>
        _http != null ? await Send(HttpMethod.Get, $"/api/sms/texts?limit={limit}" + (node == null ? string.Empty : "&node=" + Uri.EscapeDataString(node)), null, ct).ConfigureAwait(false)
        : Ok(_sms!.Recent(node, limit).Select(m => new { m.Id, phone = EdgeSensors.Gateway.Sms.PhoneNumbers.Mask(m.Phone), m.Node, m.Kind, m.Text, m.Segments, m.State, m.Reason, created_at = m.CreatedAt, due_at = m.DueAt, updated_at = m.UpdatedAt }));

    /// <summary>"gateway API at …" or "gateway store at …".</summary>
    public string Mode { get; private init; } = string.Empty;

    /// <summary>Picks the API when the gateway answers, else its data folder; null and a reason when neither works.</summary>
    public static async Task<(NodeAdmin? Admin, string? Error)> ConnectAsync(string url, string? token, string? dataDir, CancellationToken ct, string? caPath = null)
    {
        // Before anything is sent: the operator token never crosses a network in clear.
        if (GatewayTarget.RefuseUrl(url) is { } refused)
        {
            return (null, refused);
        }

        caPath ??= Path.Combine(dataDir ?? "edge/EdgeSensors.Gateway/data", "tls", "ca.crt");
        HttpClient http = GatewayTarget.CreateHttp(url, caPath, TimeSpan.FromSeconds(10));
        Exception? failure = null;
        try
        {
            using HttpResponseMessage health = await http.GetAsync("/health", ct).ConfigureAwait(false);
            if (health.IsSuccessStatusCode)
            {
                if (string.IsNullOrEmpty(token))
                {
                    http.Dispose();
                    return (null, $"the gateway at {url} runs but no operator token was given: use --token, EDGESENSORS_OPERATOR_TOKEN, or --data-dir to read operator.token");
                }

                http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return (new NodeAdmin(http, null) { Mode = $"gateway API at {url}" }, null);
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
        {
            failure = ex;
        }

        http.Dispose();
        if (dataDir == null)
        {
            return (null, (failure == null ? $"the gateway at {url} does not answer" : GatewayTarget.Explain(failure, url, caPath)) + ", and no --data-dir was given to work on its store directly");
        }

        string dbPath = Path.Combine(dataDir, "edgesensors.db");
        if (!File.Exists(dbPath))
        {
            return (null, $"the gateway at {url} does not answer and {dbPath} does not exist");
        }

        try
        {
            return (new NodeAdmin(null, new EdgeDatabase(dbPath)) { Mode = $"gateway store at {dbPath} (gateway stopped)" }, null);
        }
        catch (StoreOpenException ex)
        {
            return (null, ex.Message);
        }
    }

    public async Task<AdminResult> AddAsync(string id, double? lat, double? lon, string? place, string? notes, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Post, "/api/nodes", new { id, lat, lon, place, notes }, ct).ConfigureAwait(false);
        }

        // Same rules, error text and audit entry as the API (the core's NodeAdministration); no broker runs to cut off.
        UseCaseOutcome<NodeCredentials> r = await new NodeAdministration(_registry!, _audit!, null).AddAsync(LocalAccount, id, lat, lon, place, notes, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Ok(new { id, secret = r.Value!.Secret, username = id, client_id = id }) : Refusal(r);
    }

    /// <summary>Whether <paramref name="secret"/> is the registered node's password (NotFound when it is not registered).</summary>
    public async Task<AdminResult> VerifySecretAsync(string id, string secret, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Post, $"/api/nodes/{Uri.EscapeDataString(id)}/verify-secret", new { secret }, ct).ConfigureAwait(false);
        }

        return _registry!.Find(id) == null
            ? new AdminResult(ExitCodes.NotFound, null, $"no node \"{id}\" is registered: edgesensors node add {id} first")
            : Ok(new { id, valid = _registry.Verify(id, secret) });
    }

    public async Task<AdminResult> ListAsync(CancellationToken ct) =>
        _http != null ? await Send(HttpMethod.Get, "/api/nodes", null, ct).ConfigureAwait(false) : Ok(_registry!.List());

    public async Task<AdminResult> ShowAsync(string id, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Get, $"/api/nodes/{Uri.EscapeDataString(id)}", null, ct).ConfigureAwait(false);
        }

        NodeRecord? node = _registry!.Find(id);
        if (node == null)
        {
            return new AdminResult(ExitCodes.NotFound, null, $"no node \"{id}\"");
        }

        var store = new ReadingStore(_db!, Microsoft.Extensions.Options.Options.Create(new Gateway.Options.StoreOptions()), new Gateway.Observability.GatewayMetrics(), Microsoft.Extensions.Logging.Abstractions.NullLogger<ReadingStore>.Instance);
        (long backlog, long oldest) = store.Backlog(id);
        return Ok(new { node, uplink = new { forwarded_through_id = store.ForwardedThrough(id), backlog, oldest_rx = oldest }, last_readings = store.Latest(id, 10) });
    }

    public async Task<AdminResult> RotateAsync(string id, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Post, $"/api/nodes/{Uri.EscapeDataString(id)}/rotate-secret", null, ct).ConfigureAwait(false);
        }

        UseCaseOutcome<NodeCredentials> r = await new NodeAdministration(_registry!, _audit!, null).RotateSecretAsync(LocalAccount, id, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Ok(new { id, secret = r.Value!.Secret }) : Refusal(r);
    }

    public async Task<AdminResult> RemoveAsync(string id, CancellationToken ct)
    {
        if (_http != null)
        {
            return await Send(HttpMethod.Delete, $"/api/nodes/{Uri.EscapeDataString(id)}", null, ct).ConfigureAwait(false);
        }

        UseCaseOutcome<string> r = await new NodeAdministration(_registry!, _audit!, null).RemoveAsync(LocalAccount, id, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Ok(new { id, removed = true }) : Refusal(r);
    }

    /// <summary>Publishes a node's retained config (API only: the gateway must run to deliver it).</summary>
    public async Task<AdminResult> SetConfigAsync(string id, string json, CancellationToken ct)
    {
        if (_http == null)
        {
            return new AdminResult(ExitCodes.GatewayUnavailable, null, "the gateway must run to deliver a config to the node");
        }

        using var content = new StringContent(json, Encoding.UTF8, "application/json");
        using HttpResponseMessage r = await _http.PutAsync($"/api/nodes/{Uri.EscapeDataString(id)}/config", content, ct).ConfigureAwait(false);
        return await Read(r, ct).ConfigureAwait(false);
    }

    public async Task<AdminResult> GetAsync(string path, CancellationToken ct) =>
        _http != null ? await Send(HttpMethod.Get, path, null, ct).ConfigureAwait(false) : new AdminResult(ExitCodes.GatewayUnavailable, null, "the gateway is not running");

    public void Dispose()
    {
        _http?.Dispose();
        _audit?.Dispose();
        _db?.Dispose();
    }

    private static AdminResult Ok(object body) => new(ExitCodes.Ok, JsonSerializer.SerializeToElement(body, Snake), null);

    private async Task<AdminResult> Send(HttpMethod method, string path, object? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body != null)
        {
            request.Content = JsonContent.Create(body);
        }

        using HttpResponseMessage r = await _http!.SendAsync(request, ct).ConfigureAwait(false);
        return await Read(r, ct).ConfigureAwait(false);
    }

    private static async Task<AdminResult> Read(HttpResponseMessage r, CancellationToken ct)
    {
        string text = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
        JsonElement? json = text.Length > 0 ? JsonDocument.Parse(text).RootElement.Clone() : null;
        if (r.IsSuccessStatusCode)
        {
            return new AdminResult(ExitCodes.Ok, json ?? JsonSerializer.SerializeToElement(new { ok = true }), null);
        }

        string error = json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty("error", out JsonElement e) ? e.GetString() ?? text : text;
        int code = r.StatusCode switch
        {
            HttpStatusCode.NotFound => ExitCodes.NotFound,
            HttpStatusCode.Conflict => ExitCodes.Conflict,
            HttpStatusCode.Unauthorized => ExitCodes.GatewayUnavailable,
            HttpStatusCode.Forbidden => ExitCodes.GatewayUnavailable,
            _ => ExitCodes.Usage,
        };
        return new AdminResult(code, json, error);
    }
}
