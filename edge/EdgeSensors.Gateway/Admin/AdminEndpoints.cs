using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Protocol;
using Microsoft.Extensions.Options;

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
        app.MapGet("/health", Health);

        RouteGroupBuilder api = app.MapGroup("/api").AddEndpointFilter(async (ctx, next) =>
        {
            OperatorAuth auth = ctx.HttpContext.RequestServices.GetRequiredService<OperatorAuth>();
            if (!auth.IsAuthorized(ctx.HttpContext.Request))
            {
                return Results.Json(new ApiError("operator login required: send 'Authorization: Bearer <token>' (see the operator.token file in the gateway's data folder)"), statusCode: 401);
            }

            return await next(ctx).ConfigureAwait(false);
        });

        api.MapGet("/nodes", (INodeDirectory registry) => Results.Ok(registry.List()));
        api.MapPost("/nodes", AddNode);
        api.MapGet("/nodes/{id}", NodeDetail);
        api.MapDelete("/nodes/{id}", RemoveNode);
        api.MapPost("/nodes/{id}/rotate-secret", RotateSecret);
        api.MapPut("/nodes/{id}/config", SetConfig);
        api.MapGet("/quarantine", (IQuarantine q, int? limit) => Results.Ok(q.List(Math.Clamp(limit ?? 50, 1, 1000))));
        return app;
    }

    private static IResult Health(EdgeDatabase db, IReadingStore store, StoreBudget budget, NodeBroker broker, UplinkForwarder uplink, Gpio.SignalService signals, IOptions<GatewayOptions> gateway, IOptions<StoreOptions> storeOptions, IOptions<UplinkOptions> uplinkOptions)
    {
        (long backlog, long oldest) = store.Backlog();
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return Results.Ok(new
        {
            status = "ok",
            site = gateway.Value.Site,
            time = now,
            broker = new { connected_nodes = broker.ConnectedNodes },
            store = new
            {
                path = db.Path,
                used_bytes = db.UsedBytes(),
                max_bytes = storeOptions.Value.MaxBytes,
                backlog,
                backlog_age_s = backlog == 0 ? 0 : Math.Max(0, now - oldest),
                dropped_total = budget.DroppedTotal(),
            },
            gpio = new
            {
                driver = signals.DriverName,
                level = signals.Panel.State(DateTimeOffset.UtcNow)["level"],
            },
            enclosure = signals.Enclosure is { } e
                ? new { present = true, temperature_c = (double?)Math.Round(e.TemperatureC, 1), humidity_pct = (double?)Math.Round(e.HumidityPct), at = (long?)e.At.ToUnixTimeSeconds() }
                : new { present = false, temperature_c = (double?)null, humidity_pct = (double?)null, at = (long?)null },
            uplink = new
            {
                state = uplink.State,
                target = uplinkOptions.Value.Enabled ? $"{uplinkOptions.Value.Host}:{uplinkOptions.Value.Port}" : null,
                last_error = uplink.LastError,
            },
        });
    }

    private static async Task<IResult> AddNode(NodeRegistration body, INodeDirectory registry, CancellationToken ct)
    {
        string? problem = Validate(body);
        if (problem != null)
        {
            return Results.BadRequest(new ApiError(problem));
        }

        string? secret = await registry.AddAsync(body.Id!, body.Lat, body.Lon, body.Place, body.Notes, ct).ConfigureAwait(false);
        if (secret == null)
        {
            return Results.Conflict(new ApiError($"node \"{body.Id}\" is already registered; use rotate-secret to give it a new password"));
        }

        // The secret is in this response only: it is not stored in clear and not logged.
        return Results.Created($"/api/nodes/{body.Id}", new { id = body.Id, secret, username = body.Id, client_id = body.Id });
    }

    private static IResult NodeDetail(string id, INodeDirectory registry, IReadingStore store, INodeStatusStore statuses, int? last)
    {
        NodeRecord? node = registry.Find(id);
        if (node == null)
        {
            return Results.NotFound(new ApiError($"no node \"{id}\""));
        }

        (long backlog, long oldest) = store.Backlog(id);
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
            q = r.Quality,
            r = r.Fields,
        });
        return Results.Ok(new
        {
            node,
            status = status == null ? (JsonElement?)null : JsonDocument.Parse(status).RootElement,
            status_updated = statusUpdated,
            uplink = new { forwarded_through_id = store.ForwardedThrough(id), backlog, backlog_age_s = backlog == 0 ? 0 : Math.Max(0, now - oldest) },
            last_readings = latest,
        });
    }

    private static async Task<IResult> RemoveNode(string id, INodeDirectory registry, NodeBroker broker, CancellationToken ct)
    {
        if (!await registry.RemoveAsync(id, ct).ConfigureAwait(false))
        {
            return Results.NotFound(new ApiError($"no node \"{id}\""));
        }

        await broker.DisconnectAsync(id).ConfigureAwait(false);
        return Results.NoContent();
    }

    private static async Task<IResult> RotateSecret(string id, INodeDirectory registry, NodeBroker broker, CancellationToken ct)
    {
        string? secret = await registry.RotateSecretAsync(id, ct).ConfigureAwait(false);
        if (secret == null)
        {
            return Results.NotFound(new ApiError($"no node \"{id}\""));
        }

        await broker.DisconnectAsync(id).ConfigureAwait(false);
        return Results.Ok(new { id, secret });
    }

    private static async Task<IResult> SetConfig(string id, HttpRequest request, INodeDirectory registry, NodeBroker broker, CancellationToken ct)
    {
        NodeRecord? node = registry.Find(id);
        if (node == null)
        {
            return Results.NotFound(new ApiError($"no node \"{id}\""));
        }

        using var reader = new StreamReader(request.Body, Encoding.UTF8);
        string body = await reader.ReadToEndAsync(ct).ConfigureAwait(false);
        long revision = node.ConfigRevision + 1;
        string json;
        try
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            var map = doc.RootElement.EnumerateObject().Where(p => p.Name != "rev").ToDictionary(p => p.Name, p => p.Value.Clone());
            map["rev"] = JsonSerializer.SerializeToElement(revision);
            json = JsonSerializer.Serialize(map);
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Results.BadRequest(new ApiError("config must be a JSON object: " + ex.Message));
        }

        // The same rules the firmware applies: what the node would refuse is refused here, with its reason.
        if (ConfigDecoder.ApplyRemote(new NodeConfig(), Encoding.UTF8.GetBytes(json), out string error) == null)
        {
            return Results.BadRequest(new ApiError(error));
        }

        await broker.PublishConfigAsync(id, json, revision, ct).ConfigureAwait(false);
        return Results.Ok(new { id, rev = revision, topic = Topics.Config(id) });
    }

    private static string? Validate(NodeRegistration b)
    {
        if (!Topics.IsValidNodeId(b.Id))
        {
            return "id must be 1–32 lower-case letters, digits or '-', not starting with '-' (e.g. hg-vithanh-012)";
        }

        if (b.Lat is < -90 or > 90 || b.Lon is < -180 or > 180 || (b.Lat == null) != (b.Lon == null))
        {
            return "lat and lon go together: lat −90…90, lon −180…180 (Vị Thanh is about 9.78, 105.47)";
        }

        if (b.Place?.Length > 200 || b.Notes?.Length > 2000)
        {
            return "place is at most 200 characters and notes at most 2000";
        }

        return null;
    }
}
