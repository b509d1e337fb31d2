using EdgeSensors.Ioc.Ingest.Options;
using EdgeSensors.Ioc.Ingest.Pipeline;
using EdgeSensors.Ioc.Ingest.Report;
using EdgeSensors.Ioc.Ingest.Sources;
using EdgeSensors.Ioc.Ingest.Store;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Ioc.Ingest;

/// <summary>One extension per concern, so Program.cs stays short.</summary>
public static class IngestHostExtensions
{
    public static IServiceCollection AddIngestOptions(this IServiceCollection services)
    {
        services.AddOptions<IngestOptions>().BindConfiguration(IngestOptions.Section).ValidateDataAnnotations()
            .Validate(o => Valid(o.Mqtt) && Valid(o.RabbitMq) && Valid(o.Store), "Ingest: a nested option is out of range (see the messages above)")
            .Validate(o => o.Store.Kind != "postgres" || !string.IsNullOrWhiteSpace(o.Store.EffectivePostgres), "Ingest:Store:Kind is postgres but Ingest:Store:PostgresConnectionString (or …File) is not set")
            .Validate(o => o.Store.PostgresConnectionStringFile == null || File.Exists(o.Store.PostgresConnectionStringFile), "Ingest:Store:PostgresConnectionStringFile names a file that does not exist")
            .Validate(o => o.RabbitMq.PasswordFile == null || File.Exists(o.RabbitMq.PasswordFile), "Ingest:RabbitMq:PasswordFile names a file that does not exist")
            .Validate(o => o.Mqtt.Topics.Length > 0 && o.Mqtt.Topics.All(t => t.StartsWith("ioc/", StringComparison.Ordinal) || t.Contains('+', StringComparison.Ordinal)), "Ingest:Mqtt:Topics must list the gateways' topic filters, e.g. ioc/+/+/telemetry")
            .ValidateOnStart();
        return services;
    }

    private static bool Valid(object o) => System.ComponentModel.DataAnnotations.Validator.TryValidateObject(o, new System.ComponentModel.DataAnnotations.ValidationContext(o), null, true);

    public static IServiceCollection AddIngestStore(this IServiceCollection services)
    {
        services.AddSingleton<IIngestStore>(sp =>
        {
            StoreOptions s = sp.GetRequiredService<IOptions<IngestOptions>>().Value.Store;
            return s.Kind == "postgres" ? new PostgresIngestStore(s.EffectivePostgres!) : new SqliteIngestStore(s.SqlitePath);
        });
        services.AddSingleton(sp => (SensorThings.IObservationStore)sp.GetRequiredService<IIngestStore>());
        services.AddSingleton<SensorThings.StaService>();
        return services;
    }

    public static IServiceCollection AddIngestPipeline(this IServiceCollection services, string source)
    {
        services.AddSingleton<IngestMetrics>();
        services.AddSingleton<InboundBuffer>();
        services.AddSingleton<IngestPipeline>();
        services.AddHostedService(sp => sp.GetRequiredService<IngestPipeline>());
        services.AddHostedService<CompletenessRefresher>();
        services.AddSingleton<MqttSource>();
        services.AddSingleton<RabbitMqSource>();
        if (source == "rabbitmq")
        {
            services.AddHostedService(sp => sp.GetRequiredService<RabbitMqSource>());
        }
        else
        {
            services.AddHostedService(sp => sp.GetRequiredService<MqttSource>());
        }

        return services;
    }
}
