using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Storage.Sqlite;

/// <summary>Runs the store budget and retention every <see cref="StoreOptions.MaintenanceIntervalMs"/> (not after every commit: under load that would repeat the same queries hundreds of times a minute), and keeps the backlog gauges current.</summary>
public sealed class StoreMaintenance : BackgroundService
{
    private readonly StoreSizePolicy _budget;
    private readonly ReadingStore _store;
    private readonly GatewayMetrics _metrics;
    private readonly StoreOptions _options;
    private readonly ILogger<StoreMaintenance> _log;

    public StoreMaintenance(StoreSizePolicy budget, ReadingStore store, GatewayMetrics metrics, IOptions<StoreOptions> options, ILogger<StoreMaintenance> log)
    {
        _budget = budget;
        _store = store;
        _metrics = metrics;
        _options = options.Value;
        _log = log;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _budget.EnforceAsync(stoppingToken).ConfigureAwait(false);
                (long count, long oldest) = _store.Backlog();
                _metrics.Backlog.Set(count);
                _metrics.BacklogAge.Set(count == 0 ? 0 : Math.Max(0, DateTimeOffset.UtcNow.ToUnixTimeSeconds() - oldest));
                await Task.Delay(_options.MaintenanceIntervalMs, stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                break;
            }
            catch (Exception ex) when (ex is Microsoft.Data.Sqlite.SqliteException or IOException)
            {
                _log.LogError(StoreEvents.CommitFailed, ex, "Store maintenance failed: {Reason}", ex.Message);
                await Task.Delay(1000, stoppingToken).ConfigureAwait(false);
            }
        }
    }
}
