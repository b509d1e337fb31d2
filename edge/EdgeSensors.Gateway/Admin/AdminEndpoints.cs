using EdgeSensors.Gateway.UseCases;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Protocol;
using Microsoft.Extensions.Options;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Admin;

/// <summary>
/// The operator API (technician CLI, IOC tools): node registration and credentials, node config, the path of a
/// reading (last readings, uplink checkpoint, backlog), quarantine; plus the open /health. Everything under /api
/// needs the operator token.
/// </summary>
public static class AdminEndpoints
{
    public static WebApplication MapGatewayEndpoints(this WebApplication app)
    {
        // Public: only that the gateway lives. Paths, addresses and error texts are for operators (/api/health).
        // Public and minimal; "degraded" names the problem (a full disk means nothing new is acknowledged) but no detail.
        app.MapGet("/health", (IOptions<GatewayOptions> gateway, IReadingWriter store) => Results.Ok(store.DiskFullSince == null
            ? new { status = "ok", site = gateway.Value.Site, time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), problems = Array.Empty<string>() }
            : new { status = "degraded", site = gateway.Value.Site, time = DateTimeOffset.UtcNow.ToUnixTimeSeconds(), problems = DiskFullProblem }));

        // Authenticated by SecurityGate before routing; each group then asks for its role.
        RouteGroupBuilder api = app.MapGroup("/api").RequireAuthorization(OperatorPolicies.Any);
        RouteGroupBuilder tech = app.MapGroup("/api").RequireAuthorization(OperatorPolicies.Technician);
        RouteGroupBuilder admin = app.MapGroup("/api").RequireAuthorization(OperatorPolicies.Admin);

        api.MapGet("/health", Health);
        api.MapGet("/nodes", (INodeDirectory registry) => Results.Ok(registry.List()));
        tech.MapPost("/nodes", AddNode);
        api.MapGet("/nodes/{id}", NodeDetail);
        tech.MapDelete("/nodes/{id}", RemoveNode);
        tech.MapPost("/nodes/{id}/rotate-secret", RotateSecret);
        // For `node config`: is this the node's password? (The registry keeps only a hash; the answer is yes or no.)
        tech.MapPost("/nodes/{id}/verify-secret", (string id, VerifySecretRequest body, INodeDirectory registry) =>
            registry.Find(id) == null
                ? Results.NotFound(new ApiError($"no node \"{id}\" is registered: edgesensors node add {id} first"))
                : Results.Ok(new { id, valid = registry.Verify(id, body.Secret) }));
        tech.MapPut("/nodes/{id}/config", SetConfig);
        api.MapGet("/quarantine", (IQuarantine q, int? limit) => Results.Ok(q.List(Math.Clamp(limit ?? 50, 1, 1000))));
        api.MapGet("/audit", (IAuditLog audit, int? limit, string? account) => Results.Ok(audit.List(Math.Clamp(limit ?? 100, 1, 1000), account)));
        api.MapGet("/whoami", (HttpContext ctx) => Results.Ok(new { account = ctx.User.Identity?.Name, role = ctx.User.FindFirst(System.Security.Claims.ClaimTypes.Role)?.Value }));
        api.MapGet("/bans", (NodeBroker broker) => Results.Ok(broker.Bans.Active(DateTimeOffset.UtcNow)));
        tech.MapDelete("/bans/{key}", async (string key, NodeBroker broker, IAuditLog audit, HttpContext ctx, CancellationToken ct) =>
        {
            if (!broker.Bans.Lift(key))
            {
                return Results.NotFound(new ApiError($"no ban \"{key}\" (GET /api/bans lists them)"));
            }

            await audit.RecordAsync(Who(ctx), "ban_lift", key, null, ct).ConfigureAwait(false);
            return Results.NoContent();
        });
        admin.MapPost("/operators/admin/rotate-token", async (OperatorAuth auth, IAuditLog audit, HttpContext ctx, CancellationToken ct) =>
        {
            string? token = auth.RotateAdminToken();
            if (token == null)
            {
                return Results.Conflict(new ApiError($"the admin token comes from {auth.TokenSource}: change it there (Admin:OperatorToken / Admin:OperatorTokenFile) and restart"));
            }

            await audit.RecordAsync(Who(ctx), "admin_token_rotate", auth.TokenFile, null, ct).ConfigureAwait(false);
            // Shown once; also in the token file (0600) for the CLI on the gateway itself.
            return Results.Ok(new { token, file = auth.TokenFile });
        });
        admin.MapGet("/operators", (IOperatorAccounts accounts) => Results.Ok(accounts.List()));
        admin.MapPost("/operators", AddOperator);
        admin.MapDelete("/operators/{name}", RevokeOperator);
        return app;
    }

    private static IResult Health(IStoreFootprint footprint, IReadingWriter store, IUplinkBacklog queue, NodeBroker broker, UplinkForwarder uplink, Gpio.SignalService signals, Soc.SocSyslogForwarder soc, IOptions<GatewayOptions> gateway, IOptions<StoreOptions> storeOptions, IOptions<UplinkOptions> uplinkOptions)
    {
        (long backlog, long oldest) = queue.Backlog();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Results.Ok(new
        {
            status = store.DiskFullSince == null ? "ok" : "degraded",
            site = gateway.Value.Site,
            time = now,
            broker = new { connected_nodes = broker.ConnectedNodes, bans = broker.Bans.Active(DateTimeOffset.UtcNow).Count },
            store = new
            {
                path = footprint.Path,
                used_bytes = footprint.UsedBytes(),
                max_bytes = storeOptions.Value.MaxBytes,
                backlog,
                backlog_age_s = backlog == 0 ? 0 : Math.Max(0, now - oldest),
                dropped_total = footprint.DroppedTotal(),
                disk_full = store.DiskFullSince != null,
                disk_full_since = store.DiskFullSince,
            },
            gpio = new
            {
                driver = signals.DriverName,
                level = signals.Panel.State(DateTimeOffset.UtcNow)["level"],
            },
            relay = new
            {
                nodes_required = signals.Interlock.Required(),
                basis = signals.Interlock.Basis(),
                confirmed = signals.Interlock.Confirmed(),
            },
            enclosure = signals.Enclosure is { } e
                ? new { present = true, temperature_c = (double?)Math.Round(e.TemperatureC, 1), humidity_pct = (double?)Math.Round(e.HumidityPct), at = (long?)e.At.ToUnixTimeSeconds() }
                : new { present = false, temperature_c = (double?)null, humidity_pct = (double?)null, at = (long?)null },
            uplink = new
            {
                state = uplink.State,
                target = uplinkOptions.Value.Enabled ? $"{uplinkOptions.Value.EffectiveHost}:{uplinkOptions.Value.EffectivePort}" : null,
                last_error = uplink.LastError,
            },
            soc = new { state = soc.State, target = soc.Target, last_error = soc.LastError },
        });
    }

    private static readonly string[] DiskFullProblem = ["store_disk_full"];

    private static string Who(HttpContext ctx) => ctx.User.Identity?.Name ?? "-";

    private static async Task<IResult> AddOperator(OperatorRequest body, IOperatorAccounts accounts, IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        // The rules live in the core's use case; this only translates its outcome. The token is in this response only.
        UseCaseOutcome<OperatorCreated> outcome = await new OperatorAdministration(accounts, audit).AddAsync(Who(ctx), body.Name, body.Role, ct).ConfigureAwait(false);
        return outcome.Status switch
        {
            UseCaseStatus.Ok => Results.Created($"/api/operators/{outcome.Value!.Name}", new { name = outcome.Value.Name, role = outcome.Value.Role, token = outcome.Value.Token }),
            UseCaseStatus.Conflict => Results.Conflict(new ApiError(outcome.Error!)),
            _ => Results.BadRequest(new ApiError(outcome.Error!)),
        };
    }

    private static async Task<IResult> RevokeOperator(string name, IOperatorAccounts accounts, IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        if (!await accounts.RevokeAsync(name, ct).ConfigureAwait(false))
        {
            return Results.NotFound(new ApiError($"no active account \"{name}\""));
        }

        await audit.RecordAsync(Who(ctx), "operator_revoke", name, null, ct).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> AddNode(NodeRegistration body, INodeDirectory registry, IAuditLog audit, NodeBroker broker, HttpContext ctx, CancellationToken ct)
    {
        // The rules live in the core's use case (NodeAdministration); this only translates its outcome.
        UseCaseOutcome<NodeCredentials> r = await new NodeAdministration(registry, audit, broker).AddAsync(Who(ctx), body.Id, body.Lat, body.Lon, body.Place, body.Notes, ct).ConfigureAwait(false);
        // The secret is in this response only: it is not stored in clear and not logged.
        return r.Status == UseCaseStatus.Ok
            ? Results.Created($"/api/nodes/{r.Value!.Id}", new { id = r.Value.Id, secret = r.Value.Secret, username = r.Value.Id, client_id = r.Value.Id })
            : Problem(r);
    }

    private static IResult NodeDetail(string id, INodeDirectory registry, IReadingQueries store, IUplinkBacklog queue, INodeStatusStore statuses, int? last)
    {
        NodeRecord? node = registry.Find(id);
        if (node == null)
        {
            return Results.NotFound(new ApiError($"no node \"{id}\""));
        }

        (long backlog, long oldest) = queue.Backlog(id);
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        (string Payload, long Updated)? saved = statuses.Find(id);
        string? status = saved?.Payload;
        long statusUpdated = saved?.Updated ?? 0;

        var latest = store.Latest(id, Math.Clamp(last ?? 10, 1, 1000)).Select(r => new
        {
            r.Id,
            r.Boot,
            r.Seq,
            r.Ts,
            r.Rx,
            r.Sync,
            node_ts = r.NodeTs,
            q = r.Quality,
            r = r.Fields,
        });
        return Results.Ok(new
        {
            node,
            status = status == null ? (JsonElement?)null : JsonDocument.Parse(status).RootElement,
            status_updated = statusUpdated,
            uplink = new { forwarded_through_id = queue.ForwardedThrough(id), backlog, backlog_age_s = backlog == 0 ? 0 : Math.Max(0, now - oldest) },
            last_readings = latest,
        });
    }

    private static async Task<IResult> RemoveNode(string id, INodeDirectory registry, NodeBroker broker, IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        UseCaseOutcome<string> r = await new NodeAdministration(registry, audit, broker).RemoveAsync(Who(ctx), id, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Results.NoContent() : Problem(r);
    }

    private static async Task<IResult> RotateSecret(string id, INodeDirectory registry, NodeBroker broker, IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        UseCaseOutcome<NodeCredentials> r = await new NodeAdministration(registry, audit, broker).RotateSecretAsync(Who(ctx), id, ct).ConfigureAwait(false);
        return r.Status == UseCaseStatus.Ok ? Results.Ok(new { id, secret = r.Value!.Secret }) : Problem(r);
    }

    /// <summary>A use case's refusal as HTTP: 400 invalid, 404 not found, 409 conflict, 422 refused.</summary>
    private static IResult Problem<T>(UseCaseOutcome<T> r) => r.Status switch
    {
        UseCaseStatus.NotFound => Results.NotFound(new ApiError(r.Error!)),
        UseCaseStatus.Conflict => Results.Conflict(new ApiError(r.Error!)),
        UseCaseStatus.Refused => Results.UnprocessableEntity(new ApiError(r.Error!)),
        _ => Results.BadRequest(new ApiError(r.Error!)),
    };

    private static async Task<IResult> SetConfig(string id, HttpRequest request, NodeConfiguration configs, CancellationToken ct)
    {
        // The rules live in the core's use case (NodeConfiguration); this only translates its outcome.
        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        UseCaseOutcome<long> r = await configs.ApplyAsync(id, body, ConfigCaller.Operator(Who(request.HttpContext)), ct).ConfigureAwait(false);
        return r.Status switch
        {
            UseCaseStatus.Ok => Results.Ok(new { id, rev = r.Value, topic = Topics.Config(id) }),
            UseCaseStatus.NotFound => Results.NotFound(new ApiError(r.Error!)),
            UseCaseStatus.Refused => Results.UnprocessableEntity(new ApiError(r.Error!)),
            _ => Results.BadRequest(new ApiError(r.Error!)),
        };
    }

}

/// <summary>Body of POST /api/nodes/{id}/verify-secret.</summary>
public sealed record VerifySecretRequest(string? Secret);
