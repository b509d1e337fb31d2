using System.CommandLine;
using EdgeSensors.Ioc.Ingest;
using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Pipeline;
using EdgeSensors.Ioc.Ingest.Report;
using EdgeSensors.Ioc.Ingest.Store;
using EdgeSensors.Ioc.Ingest.Web;
using Microsoft.Extensions.Options;
using Prometheus;

if (args.Any(a => a is "--help" or "-h" or "-?" or "help"))
{
    // Help, not a start (issue 32): nothing is opened, written or connected.
    Console.WriteLine("""
        EdgeSensors IOC ingest: takes every gateway's readings, alerts and gap records from the province's broker into
        PostgreSQL (or SQLite) exactly once by (site, node, boot, seq), and reports what is complete and what is missing.

        Usage:
          EdgeSensors.Ioc.Ingest [--Ingest:Key=value …]     run the service (configuration: appsettings.json, environment
                                                           variables Ingest__Key, or these arguments)
          EdgeSensors.Ioc.Ingest report [--site S] [--json] print the completeness report from the store and exit
          EdgeSensors.Ioc.Ingest --help                     this text

        The embedded default: an MQTT broker on 127.0.0.1:1883 (Mosquitto: apt-get install mosquitto), SQLite in
        ./ingest-data/ingest.db under the directory the command runs in, HTTP on 127.0.0.1:8090 (/api/completeness and
        /api/parked need a bearer token from api-tokens.json, written beside the database at the first start).
        Common settings: Ingest:Source (mqtt | rabbitmq), Ingest:Store:Kind (sqlite | postgres),
        Ingest:Store:SqlitePath, Ingest:Store:ConnectionString, Ingest:Mqtt:Host, Ingest:Mqtt:Port, Ingest:RabbitMq:Host,
        Ingest:MaxAgeDays (400), Ingest:MaxFutureSeconds (3600). Documentation: docs/ioc-ingest.md.
        """);
    return 0;
}

if (args.Length > 0 && args[0] == "report")
{
    // The report reads the same configuration (appsettings.json, environment, --Ingest:… arguments) as the service.
    IConfiguration config = new ConfigurationBuilder().SetBasePath(AppContext.BaseDirectory).AddJsonFile("appsettings.json", optional: true)
        .AddEnvironmentVariables().AddCommandLine(args.Skip(1).Where(a => a.StartsWith("--Ingest:", StringComparison.Ordinal)).ToArray()).Build();
    var root = new RootCommand("EdgeSensors IOC ingest") { ReportCommand.Create(() => config.GetSection(IngestOptions.Section).Get<IngestOptions>() ?? new IngestOptions()) };
    return await root.Parse(args).InvokeAsync();
}

WebApplicationBuilder builder = WebApplication.CreateBuilder(args);
builder.Services.AddIngestOptions().AddIngestStore().AddIngestPipeline(builder.Configuration["Ingest:Source"] ?? "mqtt");
builder.Services.AddSingleton(sp => ApiTokens.LoadOrCreate(ApiTokens.PathFor(sp.GetRequiredService<IOptions<IngestOptions>>().Value)));
builder.Services.ConfigureHttpJsonOptions(o => o.SerializerOptions.PropertyNamingPolicy = System.Text.Json.JsonNamingPolicy.SnakeCaseLower);
WebApplication app = builder.Build();
try
{
    await app.Services.GetRequiredService<IIngestStore>().InitializeAsync(CancellationToken.None);
    ApiTokens tokens = app.Services.GetRequiredService<ApiTokens>();
    app.Logger.LogInformation("API tokens (operator, dashboard) in {Path}", tokens.Path);
}
catch (Exception ex) when (ex is OptionsValidationException or IOException or UnauthorizedAccessException or InvalidOperationException or Npgsql.NpgsqlException or Microsoft.Data.Sqlite.SqliteException or ArgumentException)
{
    Console.Error.WriteLine($"EdgeSensors ingest cannot start: {ex.Message}");
    return 2;
}

app.MapIngestEndpoints();
app.MapMetrics("/metrics", app.Services.GetRequiredService<IngestMetrics>().Registry);
app.Lifetime.ApplicationStarted.Register(() =>
{
    IngestOptions o = app.Services.GetRequiredService<IOptions<IngestOptions>>().Value;
    app.Logger.LogInformation("EdgeSensors IOC ingest {Instance} started: source {Source} ({Where}), store {Store} ({StoreWhere}); HTTP {Urls} (/health, /metrics; /api/completeness and /api/parked with a bearer token)",
        o.EffectiveInstanceName, o.Source, o.Source == "rabbitmq" ? $"{o.RabbitMq.Host}:{o.RabbitMq.Port} queue {o.RabbitMq.Queue}" : $"{o.Mqtt.Host}:{o.Mqtt.Port}",
        o.Store.Kind, o.Store.Kind == "sqlite" ? Path.GetFullPath(o.Store.SqlitePath) : "PostgreSQL", string.Join(", ", app.Urls));
});
await app.RunAsync();
return 0;
