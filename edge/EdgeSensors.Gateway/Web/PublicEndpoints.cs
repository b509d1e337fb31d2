using System.Text.Json;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Gpio;
using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Web;

/// <summary>
/// Read-only API for the farmers' page and for IOC or technicians' tools, open on the local network: stations with
/// their latest reading and verdict, history, alerts, profiles, the signal panel, and a live event stream.
/// Acknowledging an alert is an operator action (under /api, token required).
/// </summary>
public static class PublicEndpoints
{
    /// <summary>The open, secret-free answers (compressed); the live stream is left as it is (events must not wait in a compressor's buffer).</summary>
    public static bool IsPublicData(PathString path) =>
        path.StartsWithSegments("/api/public", StringComparison.OrdinalIgnoreCase) && !path.StartsWithSegments("/api/public/live", StringComparison.OrdinalIgnoreCase);

    public static WebApplication MapPublicEndpoints(this WebApplication app)
    {
        RouteGroupBuilder pub = app.MapGroup("/api/public").WithTags("public");
        pub.MapGet("/profiles", (AlertEngine engine) => engine.Evaluator.Profiles);
        pub.MapGet("/stations", Stations);
        pub.MapGet("/stations/{id}/history", History);
        pub.MapGet("/stations/{id}/intake", Intake);
        pub.MapGet("/alerts", (IAlertStore alerts, bool? active, int? limit, string? node) => alerts.List(active ?? false, Math.Clamp(limit ?? 50, 1, 1000), node));
        pub.MapGet("/gpio", (SignalService signals) => new
        {
            driver = signals.DriverName,
            state = signals.Panel.State(DateTimeOffset.UtcNow),
            enclosure = signals.Enclosure is { } e ? new { temperature_c = Math.Round(e.TemperatureC, 1), humidity_pct = Math.Round(e.HumidityPct), at = e.At.ToUnixTimeSeconds() } : null,
        });
        pub.MapGet("/live", Live);

        app.MapGroup("/api").RequireAuthorization(Admin.OperatorPolicies.Any).MapPost("/alerts/{id:long}/ack", Acknowledge).WithTags("operator");
        return app;
    }

    private static async Task<IResult> Acknowledge(long id, AckRequest? body, AlertEngine engine, Store.IAuditLog audit, HttpContext ctx, CancellationToken ct)
    {
        // Who acknowledged is the account that is logged in; what the caller types is kept beside it as a note.
        string account = ctx.User.Identity?.Name ?? "-";
        string? note = string.IsNullOrWhiteSpace(body?.By) ? null : body.By.Trim();
        if (note?.Length > 80)
        {
            return Results.BadRequest(new Admin.ApiError("'by' is at most 80 characters"));
        }

        string by = note == null || note == account ? account : $"{account} ({note})";
        AlertRecord? a = await engine.AcknowledgeAsync(id, by, ct).ConfigureAwait(false);
        if (a != null)
        {
            await audit.RecordAsync(account, "alert_ack", id.ToString(System.Globalization.CultureInfo.InvariantCulture), note, ct).ConfigureAwait(false);
        }

        return a == null ? Results.NotFound(new Admin.ApiError($"no active, unacknowledged alert {id}")) : Results.Ok(a);
    }

    /// <summary>
    /// Every station with its latest reading and its answer for a crop (<paramref name="profile"/>, default the
    /// station's own): the core's <see cref="IntakeVerdict"/>, the same the alerts, lamps, relay and SMS follow.
    /// </summary>
    private static IResult Stations(INodeDirectory registry, IReadingQueries store, AlertEngine engine, string? profile)
    {
        CropProfile? chosen = profile == null ? null : CropProfiles.Find(engine.Evaluator.Profiles, profile);
        if (profile != null && chosen == null)
        {
            return Results.BadRequest(new Admin.ApiError($"unknown profile \"{profile}\" (GET /api/public/profiles lists them)"));
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var result = new List<object>();
        foreach (NodeRecord n in registry.List())
        {
            CropProfile own = engine.Evaluator.ProfileFor(n.Id);
            CropProfile crop = chosen ?? own;
            IReadOnlyList<StoredReading> last = store.Latest(n.Id, 1);
            StoredReading? latest = last.Count > 0 ? last[0] : null;
            double? hourAgo = store.LevelAt(n.Id, (latest?.Ts ?? now) - 3600);
            double? salinity = latest?.Get(StoredReading.Salinity);
            double? level = latest?.Get(StoredReading.Level);
            string trend = level is double l && hourAgo is double h ? (l - h > 0.03 ? "rising" : l - h < -0.03 ? "falling" : "steady") : "unknown";
            IntakeVerdict? v = engine.Evaluator.Verdict(n.Id, crop.Id);
            result.Add(new
            {
                id = n.Id,
                place = n.Place,
                lat = n.Lat,
                lon = n.Lon,
                profile = crop.Id,
                own_profile = own.Id,
                latest = latest == null ? null : new { ts = latest.Ts, salinity_ppt = salinity, level_m = level, water_temp_c = latest.Get(StoredReading.WaterTemp) },
                verdict = v == null ? "unknown" : AlertKinds.WireName(v.Level),
                intake = v == null ? null : new
                {
                    level = AlertKinds.WireName(v.Level),
                    take_water = v.Intake,
                    since = v.Since,
                    reopen_at = v.ReopenAt,
                    value_ppt = v.Value,
                    value_ts = v.ValueAt,
                    text_vi = v.TextVi,
                    text_en = v.TextEn,
                    why_vi = v.WhyVi,
                    why_en = v.WhyEn,
                },
                age_s = latest == null ? (long?)null : Math.Max(0, now - latest.Rx),
                rx = latest?.Rx, // the page computes the age from this on every tick (a cached answer's age_s goes stale)
                tide = trend,
                active_alerts = engine.Evaluator.Level(n.Id, AlertKind.Salinity) == AlertLevel.None ? 0 : 1,
            });
        }

        return Results.Ok(result);
    }

    /// <summary>"Giờ lấy nước an toàn": the coming 24 h windows below the crop's watch threshold, from the last two weeks.</summary>
    private static IResult Intake(string id, string? profile, INodeDirectory registry, IReadingQueries store, AlertEngine engine)
    {
        if (registry.Find(id) == null)
        {
            return Results.NotFound(new Admin.ApiError($"no station \"{id}\""));
        }

        CropProfile? crop = CropProfiles.Find(engine.Evaluator.Profiles, profile ?? "rice_tillering");
        if (crop == null)
        {
            return Results.BadRequest(new Admin.ApiError($"unknown profile \"{profile}\" (GET /api/public/profiles lists them)"));
        }

        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        // 15-minute means of the last 14 days: what the fit needs, whatever the node's sampling rate.
        var samples = store.History(id, now - (14 * 86400L), now + 60, 900)
            .Where(p => p.SalinityPpt != null)
            .Select(p => (p.Ts, p.SalinityPpt!.Value))
            .ToList();
        IntakeForecastResult f = IntakeForecast.Predict(samples, now, crop.Watch);
        return Results.Ok(new
        {
            id,
            profile = crop.Id,
            threshold_ppt = f.ThresholdPpt,
            enough_data = f.Enough,
            reason_vi = f.ReasonVi,
            reason_en = f.ReasonEn,
            days_of_data = Math.Round(f.HoursOfData / 24, 1),
            rms_ppt = f.RmsPpt,
            r2 = f.R2,
            certainty = f.Certainty,
            constituents = f.Constituents,
            from = f.From,
            to = f.To,
            windows = f.Windows.Select(w => new { from = w.From, to = w.To, peak_ppt = w.PeakPpt }),
        });
    }

    private static IResult History(string id, INodeDirectory registry, IReadingQueries store, int? hours)
    {
        if (registry.Find(id) == null)
        {
            return Results.NotFound(new Admin.ApiError($"no station \"{id}\""));
        }

        int h = Math.Clamp(hours ?? 24, 1, 24 * 90);
        long to = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        long from = to - (h * 3600L);
        const int maxPoints = 288;
        long bucket = Math.Max(1, (to - from) / maxPoints);
        // Averages per time bucket keep the answer small for a weak link whatever the sampling rate.
        var points = store.History(id, from, to + 60, bucket).Select(p => new
        {
            ts = p.Ts,
            salinity_ppt = p.SalinityPpt is double sp ? Math.Round(sp, 3) : (double?)null,
            level_m = p.LevelM is double lv ? Math.Round(lv, 3) : (double?)null,
        }).ToList();

        return Results.Ok(new { id, from, to, bucket_s = bucket, points });
    }

    private static async Task Live(HttpContext http, LiveFeed feed, Microsoft.Extensions.Options.IOptions<Hosting.AdminOptions> admin, CancellationToken ct)
    {
        var reader = feed.TrySubscribe(admin.Value.MaxLiveClients, out Action unsubscribe);
        if (reader == null)
        {
            // Too many open live streams: refuse plainly; the page falls back to polling (EventSource retries later).
            http.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            http.Response.Headers.RetryAfter = "30";
            await http.Response.WriteAsJsonAsync(new Admin.ApiError("Quá nhiều người đang xem trực tiếp, thử lại sau ít phút. / Too many live viewers; try again in a few minutes."), ct).ConfigureAwait(false);
            return;
        }

        http.Response.Headers.ContentType = "text/event-stream";
        http.Response.Headers.CacheControl = "no-cache";
        try
        {
            await http.Response.WriteAsync("retry: 3000\n\n", ct).ConfigureAwait(false);
            await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            while (!ct.IsCancellationRequested)
            {
                using var keepAlive = CancellationTokenSource.CreateLinkedTokenSource(ct);
                keepAlive.CancelAfter(TimeSpan.FromSeconds(20));
                try
                {
                    string message = await reader.ReadAsync(keepAlive.Token).ConfigureAwait(false);
                    await http.Response.WriteAsync(message, ct).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    await http.Response.WriteAsync(": keep-alive\n\n", ct).ConfigureAwait(false);
                }

                await http.Response.Body.FlushAsync(ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException)
        {
        }
        finally
        {
            unsubscribe();
        }
    }

}
