using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Sms;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.UseCases;
using EdgeSensors.Gateway.Sms.Gammu;

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
        tech.MapDelete("/subscribers", async (string? phone, string? node, ISmsStore sms, INodeDirectory nodes, SmsService service, IAuditLog audit, HttpContext ctx, CancellationToken ct) =>
        {
            string who = ctx.User.Identity?.Name ?? "-";
            var r = await new SmsSubscriptions(sms, nodes, audit, service.Profiles).CancelAsync(who, "api:" + who, phone, node, ct).ConfigureAwait(false);
            return r.Status == UseCaseStatus.Ok ? Results.Ok(new { phone = r.Value.Phone, removed = r.Value.Removed }) : Results.BadRequest(new ApiError(r.Error!));
        });
        api.MapGet("/texts", (string? node, int? limit, ISmsStore sms) => Results.Ok(sms.Recent(node, Math.Clamp(limit ?? 50, 1, 1000))
            .Select(m => new { m.Id, phone = PhoneNumbers.Mask(m.Phone), m.Node, m.Kind, m.Text, m.Segments, m.State, m.Reason, created_at = m.CreatedAt, due_at = m.DueAt, updated_at = m.UpdatedAt })));
        return app;
    }

    private static async Task<IResult> SubscribeAsync(SmsSubscribeRequest body, ISmsStore sms, INodeDirectory nodes, SmsService service, IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        // The rules live in the core's use case (SmsSubscriptions); this only translates its outcome.
        string who = ctx.User.Identity?.Name ?? "-";
        UseCaseOutcome<SmsSubscribed> r = await new SmsSubscriptions(sms, nodes, audit, service.Profiles).SubscribeAsync(who, "api:" + who, body.Phone, body.Node, body.Profile, ct).ConfigureAwait(false);
        if (r.Status != UseCaseStatus.Ok)
        {
            return Results.BadRequest(new ApiError(r.Error!));
        }

        SmsSubscribed s = r.Value!;
        return s.Created ? Results.Created($"/api/sms/subscribers?node={s.Node}", new { phone = s.Phone, node = s.Node, profile = s.Profile }) : Results.Ok(new { phone = s.Phone, node = s.Node, profile = s.Profile });
    }
}
