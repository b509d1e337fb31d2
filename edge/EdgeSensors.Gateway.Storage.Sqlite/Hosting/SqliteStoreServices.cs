using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>Registers the SQLite adapter behind the core's ports.</summary>
public static class SqliteStoreServices
{
    public static IServiceCollection AddSqliteEdgeStore(this IServiceCollection services)
    {
        services.AddSingleton<GatewayMetrics>();
        services.AddSingleton<EdgeDatabase>();
        services.AddSingleton<IocMessageEncoder>();
        Port<IReadingStore, ReadingStore>(services);
        services.AddSingleton<IReadingFeed>(sp => sp.GetRequiredService<ReadingStore>());
        services.AddSingleton<IReadingWriter>(sp => sp.GetRequiredService<ReadingStore>());
        services.AddSingleton<IUplinkBacklog>(sp => sp.GetRequiredService<ReadingStore>());
        services.AddSingleton<IReadingQueries>(sp => sp.GetRequiredService<ReadingStore>());
        Port<INodeDirectory, NodeRegistry>(services);
        Port<INodeStatusStore, NodeStatusStore>(services);
        Port<IQuarantine, Quarantine>(services);
        Port<IOutboundLane, OutboundLane>(services);
        Port<IAlertStore, AlertStore>(services);
        Port<IOperatorAccounts, OperatorAccountStore>(services);
        Port<IAuditLog, AuditStore>(services);
        Port<EdgeSensors.Gateway.UseCases.ICalibrationBaselines, CalibrationBaselineStore>(services);
        Port<EdgeSensors.Gateway.Sms.ISmsStore, SmsStore>(services);
        // Security events (policy drops) are raised here too; the host's SOC forwarder listens to the same instance.
        Microsoft.Extensions.DependencyInjection.Extensions.ServiceCollectionDescriptorExtensions.TryAddSingleton<EdgeSensors.Gateway.Security.SecurityEvents>(services);
        services.AddSingleton<StoreBudget>();
        services.AddSingleton<IStoreSpace>(sp => sp.GetRequiredService<StoreBudget>());
        services.AddSingleton(sp =>
        {
            var policy = ActivatorUtilities.CreateInstance<StoreSizePolicy>(sp);
            OutboundLane lane = sp.GetRequiredService<OutboundLane>();
            policy.Dropped += lane.RaiseQueued; // gap records wait in the outbound lane: wake the uplink
            return policy;
        });
        services.AddSingleton<IStoreFootprint, StoreFootprint>();
        services.AddHostedService<StoreMaintenance>();
        return services;
    }

    // One instance serves both the port and the concrete type (the health endpoint reads the file's size).
    private static void Port<TPort, TImpl>(IServiceCollection services)
        where TPort : class
        where TImpl : class, TPort
    {
        services.AddSingleton<TImpl>();
        services.AddSingleton<TPort>(sp => sp.GetRequiredService<TImpl>());
    }
}
