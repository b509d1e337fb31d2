using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Pipeline;
using EdgeSensors.Ioc.Ingest.Report;
using EdgeSensors.Ioc.Ingest.Sources;
using EdgeSensors.Ioc.Ingest.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Ioc.Ingest.Web;

/// <summary>The ingest's HTTP API: health, the completeness report (operator or dashboard token), the parked messages and conflicts (operator token), SensorThings (operator or dashboard token); read-only.</summary>
public static class IngestEndpoints
{
    public static WebApplication MapIngestEndpoints(this WebApplication app)
    {
        app.MapGet("/health", async (IServiceProvider sp, IIngestStore store, IngestPipeline pipeline, IOptions<IngestOptions> options, CancellationToken ct) =>
        {
            string source = options.Value.Source == "rabbitmq" ? sp.GetRequiredService<RabbitMqSource>().State : sp.GetRequiredService<MqttSource>().State;
            (long readings, long duplicates, long parked) = await store.TotalsAsync(ct).ConfigureAwait(false);
            return Results.Ok(new
            {
                status = source == "connected" && pipeline.LastError == null ? "ok" : "degraded",
                instance = options.Value.EffectiveInstanceName,
                source = new { kind = options.Value.Source, state = source },
                store = new { kind = options.Value.Store.Kind, readings, duplicates_received = duplicates, parked, last_commit = pipeline.LastCommit, last_error = pipeline.LastError },
            });
        });
        app.MapGet("/api/completeness", async (string? site, IIngestStore store, IOptions<IngestOptions> options, CancellationToken ct) =>
            Results.Ok(CompletenessReport.Build(await store.CompletenessInputAsync(site, ct).ConfigureAwait(false), DateTimeOffset.UtcNow, TimeSpan.FromSeconds(options.Value.MarkGraceSeconds))))
            .AddEndpointFilter(ApiTokens.Require(ApiTokens.Operator, ApiTokens.Dashboard));
        app.MapGet("/api/parked", async (int? limit, IIngestStore store, CancellationToken ct) =>
            Results.Ok(await store.ParkedAsync(Math.Clamp(limit ?? 50, 1, 1000), ct).ConfigureAwait(false)))
            .AddEndpointFilter(ApiTokens.Require(ApiTokens.Operator));
        app.MapGet("/api/conflicts", async (int? limit, IIngestStore store, CancellationToken ct) =>
            Results.Ok(await store.ConflictsAsync(Math.Clamp(limit ?? 50, 1, 1000), ct).ConfigureAwait(false)))
            .AddEndpointFilter(ApiTokens.Require(ApiTokens.Operator));
        // OGC SensorThings API 1.1 (Sensing, read-only) for the province's data hub and the dashboards: the same tokens.
        app.MapGet(SensorThings.StaService.Prefix, (HttpContext http, SensorThings.StaService sta, CancellationToken ct) => sta.HandleAsync(http, ct))
            .AddEndpointFilter(ApiTokens.Require(ApiTokens.Operator, ApiTokens.Dashboard));
        app.MapGet(SensorThings.StaService.Prefix + "/{**path}", (HttpContext http, SensorThings.StaService sta, CancellationToken ct) => sta.HandleAsync(http, ct))
            .AddEndpointFilter(ApiTokens.Require(ApiTokens.Operator, ApiTokens.Dashboard));
        return app;
    }
}
