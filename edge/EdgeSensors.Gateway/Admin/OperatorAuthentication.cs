using System.Collections.Concurrent;
using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using EdgeSensors.Gateway.Hosting;

namespace EdgeSensors.Gateway.Admin;

/// <summary>ASP.NET Core authentication for the operator API: "Authorization: Bearer &lt;token&gt;" → the account.</summary>
public sealed class OperatorTokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, OperatorAuth auth)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "OperatorToken";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (string.IsNullOrEmpty(header))
        {
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        if (!header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header must be 'Bearer <token>'"));
        }

        OperatorAccount? account = auth.Authenticate(header["Bearer ".Length..].Trim());
        if (account == null)
        {
            return Task.FromResult(AuthenticateResult.Fail("token not accepted (wrong, or its account was revoked)"));
        }

        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, account.Name), new Claim(ClaimTypes.Role, account.Role)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }
}

/// <summary>Authorisation policies of the operator API.</summary>
public static class OperatorPolicies
{
    /// <summary>Any operator account.</summary>
    public const string Any = "operator";

    /// <summary>Technicians (and admin): nodes, credentials, calibration.</summary>
    public const string Technician = "technician";

    /// <summary>The bootstrap admin: accounts.</summary>
    public const string Admin = "admin";
}

/// <summary>
/// The first thing every request meets, before routing and before any body is read: security headers, the body cap
/// (refused from its Content-Length, and enforced while reading when there is none), HTTPS for the operator API
/// except from the machine itself, and the operator's authentication — an unauthenticated request to the operator
/// API is answered 401 without its body ever being read. Failed logins go to the audit log (with the source address,
/// never the token).
/// </summary>
public sealed class SecurityGate(RequestDelegate next, IOptions<AdminOptions> options, IAuditLog audit, ILogger<SecurityGate> log)
{
    /// <summary>The key under which the operator API's failures are counted per address (there is no username in a bearer token).</summary>
    private const string ApiKey = "operator-api";

    private readonly ConcurrentDictionary<string, long> _lastLogin = new(StringComparer.Ordinal);
    private readonly Broker.ConnectBans _bans = new(options.Value.BanAfterFailedLogins, TimeSpan.FromMinutes(10), TimeSpan.FromSeconds(60), TimeSpan.FromHours(6));

    public async Task InvokeAsync(HttpContext ctx)
    {
        IHeaderDictionary h = ctx.Response.Headers;
        h.XContentTypeOptions = "nosniff";
        h.XFrameOptions = "DENY";
        h["Referrer-Policy"] = "no-referrer";
        h.ContentSecurityPolicy = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'";

        long cap = options.Value.MaxRequestBodyBytes;
        if (ctx.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
        {
            size.MaxRequestBodySize = cap;
        }

        if (ctx.Request.ContentLength > cap)
        {
            await RefuseAsync(ctx, StatusCodes.Status413PayloadTooLarge, $"request body over {cap} bytes").ConfigureAwait(false);
            return;
        }

        if (IsOperatorPath(ctx.Request.Path))
        {
            if (!ctx.Request.IsHttps && !IsLocal(ctx.Connection.RemoteIpAddress))
            {
                await RefuseAsync(ctx, StatusCodes.Status403Forbidden, $"the operator API needs HTTPS from another machine: https://{ctx.Request.Host.Host}:8443{ctx.Request.Path} (the gateway's CA is data/tls/ca.crt)").ConfigureAwait(false);
                return;
            }

            string from = ctx.Connection.RemoteIpAddress?.ToString() ?? "unknown";
            DateTimeOffset now = DateTimeOffset.UtcNow;
            bool banned = _bans.IsBanned(from, ApiKey, now);
            AuthenticateResult result = await ctx.AuthenticateAsync(OperatorTokenHandler.SchemeName).ConfigureAwait(false);
            if (banned && !result.Succeeded)
            {
                // A banned address's wrong tokens are answered without a write: a flood costs nothing but this answer.
                // The right token still works from it (an operator behind the same NAT as a guesser).
                ctx.Response.Headers.RetryAfter = "60";
                await RefuseAsync(ctx, StatusCodes.Status429TooManyRequests, "too many wrong operator tokens from this address: wait and try again with the right token").ConfigureAwait(false);
                return;
            }

            if (!result.Succeeded)
            {
                string why = result.Failure?.Message ?? "operator login required: send 'Authorization: Bearer <token>' (the bootstrap token is in the gateway's data/operator.token)";
                if (result.Failure != null)
                {
                    log.LogWarning(AdminEvents.LoginFailed, "Operator login refused from {Remote}: {Reason}", from, result.Failure.Message);
                    await audit.RecordAsync("-", "login_failed", from, result.Failure.Message, ctx.RequestAborted).ConfigureAwait(false);
                    if (_bans.Failed(from, ApiKey, now) is { } bannedKey)
                    {
                        log.LogWarning(AdminEvents.LoginFailed, "Operator API banned {Key} after repeated wrong tokens", bannedKey);
                        await audit.RecordAsync("-", "login_banned", from, $"banned {bannedKey} after repeated wrong operator tokens", ctx.RequestAborted).ConfigureAwait(false);
                    }
                }

                await RefuseAsync(ctx, StatusCodes.Status401Unauthorized, why).ConfigureAwait(false);
                return;
            }

            ctx.User = result.Principal!;
            string account = ctx.User.Identity!.Name!;
            long seconds = now.ToUnixTimeSeconds();
            if (!_lastLogin.TryGetValue(account, out long last) || seconds - last >= 3600)
            {
                _lastLogin[account] = seconds;
                await audit.RecordAsync(account, "login", ctx.Connection.RemoteIpAddress?.ToString(), null, ctx.RequestAborted).ConfigureAwait(false);
            }
        }

        await next(ctx).ConfigureAwait(false);
    }

    /// <summary>The operator API: everything under /api except the farmers' open /api/public.</summary>
    public static bool IsOperatorPath(PathString path) =>
        path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/api/public", StringComparison.OrdinalIgnoreCase);

    private static bool IsLocal(IPAddress? a) => a != null && IPAddress.IsLoopback(a.IsIPv4MappedToIPv6 ? a.MapToIPv4() : a);

    private static async Task RefuseAsync(HttpContext ctx, int status, string message)
    {
        ctx.Response.StatusCode = status;
        if (status == StatusCodes.Status401Unauthorized)
        {
            ctx.Response.Headers.WWWAuthenticate = "Bearer";
        }

        if (status == StatusCodes.Status413PayloadTooLarge)
        {
            ctx.Response.Headers.Connection = "close";
        }

        await ctx.Response.WriteAsJsonAsync(new ApiError(message), ctx.RequestAborted).ConfigureAwait(false);
    }
}
