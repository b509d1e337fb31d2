using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Sms;
using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Admin;

/// <summary>Body of POST /api/sms/subscribers.</summary>
public sealed record SmsSubscribeRequest(string? Phone, string? Node, string? Profile);

/// <summary>
/// The operator API for SMS (issue 18): subscribers (a technician adds a farmer who asked in person, with the time of
/// consent), and the last texts per station. Numbers in the text list are masked: it is for seeing what went out, not
/// whom to call.
/// </summary>
public static class SmsEndpoints
{
    public static WebApplication MapSmsEndpoints(this WebApplication app)
    {
        RouteGroupBuilder api = app.MapGroup("/api/sms").RequireAuthorization(OperatorPolicies.Any);
        RouteGroupBuilder tech = app.MapGroup("/api/sms").RequireAuthorization(OperatorPolicies.Technician);
        api.MapGet("/subscribers", (string? node, ISmsStore sms) => Results.Ok(sms.Subscriptions(node)));
        tech.MapPost("/subscribers", SubscribeAsync);
        tech.MapDelete("/subscribers", async (string? phone, string? node, ISmsStore sms, IAuditLog audit, HttpContext ctx, CancellationToken ct) =>
        {
            string? e164 = PhoneNumbers.Normalize(phone, out string? error);
            if (e164 == null)
            {
                return Results.BadRequest(new ApiError($"phone: {error}"));
            }

            int n = await sms.CancelAsync(e164, node, ct).ConfigureAwait(false);
            await audit.RecordAsync(ctx.User.Identity?.Name ?? "-", "sms_unsubscribe", PhoneNumbers.Mask(e164), node ?? "all", ct).ConfigureAwait(false);
            return Results.Ok(new { phone = e164, removed = n });
        });
        api.MapGet("/texts", (string? node, int? limit, ISmsStore sms) => Results.Ok(sms.Recent(node, Math.Clamp(limit ?? 50, 1, 1000))
            .Select(m => new { m.Id, phone = PhoneNumbers.Mask(m.Phone), m.Node, m.Kind, m.Text, m.Segments, m.State, m.Reason, created_at = m.CreatedAt, due_at = m.DueAt, updated_at = m.UpdatedAt })));
        return app;
    }

    private static async Task<IResult> SubscribeAsync(SmsSubscribeRequest body, ISmsStore sms, INodeDirectory nodes, SmsService service, IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        string? phone = PhoneNumbers.Normalize(body.Phone, out string? error);
        if (phone == null)
        {
            return Results.BadRequest(new ApiError($"phone: {error}"));
        }

        if (body.Node == null || nodes.Find(body.Node) == null)
        {
            return Results.BadRequest(new ApiError($"node: no node \"{body.Node}\""));
        }

        CropProfile? crop = CropProfiles.Find(service.Profiles, body.Profile ?? string.Empty);
        if (crop == null)
        {
            return Results.BadRequest(new ApiError($"profile: unknown \"{body.Profile}\" (GET /api/public/profiles lists them)"));
        }

        string who = ctx.User.Identity?.Name ?? "-";
        bool created = await sms.SubscribeAsync(new SmsSubscription(phone, body.Node, crop.Id, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), "api:" + who), ct).ConfigureAwait(false);
        await audit.RecordAsync(who, "sms_subscribe", PhoneNumbers.Mask(phone), $"{body.Node} {crop.Id}", ct).ConfigureAwait(false);
        return created ? Results.Created($"/api/sms/subscribers?node={body.Node}", new { phone, node = body.Node, profile = crop.Id }) : Results.Ok(new { phone, node = body.Node, profile = crop.Id });
    }
}
