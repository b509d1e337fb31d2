using System.Diagnostics;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Logging.Abstractions;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Bench;

/// <summary>
/// Durable-store throughput with group commit against one commit per publish, in one run on one machine, so the
/// ratio means something on a noisy shared host. Each "node" awaits its own commit before sending the next reading,
/// as the broker does before a PUBACK.
/// </summary>
public static class GroupCommitBench
{
    public static async Task RunAsync(int nodes, TimeSpan duration)
    {
        double single = await MeasureAsync(nodes, duration, delayMs: 0, maxReadings: 1);
        double grouped = await MeasureAsync(nodes, duration, delayMs: 2, maxReadings: 5000);
        Console.WriteLine($"group-commit: {nodes} concurrent nodes, {duration.TotalSeconds:F0} s each");
        Console.WriteLine($"  one commit per publish : {single,10:F0} readings/s");
        Console.WriteLine($"  group commit           : {grouped,10:F0} readings/s");
        Console.WriteLine($"  ratio                  : {grouped / single,10:F1} x");
    }

    private static async Task<double> MeasureAsync(int nodes, TimeSpan duration, int delayMs, int maxReadings)
    {
        string dir = Path.Combine(Path.GetTempPath(), "es-bench-" + Guid.NewGuid().ToString("N")[..8]);
        try
        {
            using var db = new EdgeDatabase(Path.Combine(dir, "bench.db"));
            var options = Microsoft.Extensions.Options.Options.Create(new StoreOptions { GroupCommitDelayMs = delayMs, GroupCommitMaxReadings = maxReadings });
            await using var store = new ReadingStore(db, options, new GatewayMetrics(), NullLogger<ReadingStore>.Instance);
            long count = 0;
            var sw = Stopwatch.StartNew();
            using var cts = new CancellationTokenSource(duration);
            Task[] workers = Enumerable.Range(0, nodes).Select(n => Task.Run(async () =>
            {
                uint seq = 0;
                while (!cts.IsCancellationRequested)
                {
                    var r = new StoredReading(0, $"node-{n}", 1, ++seq, 1764028800, 1764028800, true, [1.5, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN, double.NaN]);
                    await store.StoreAsync([r], CancellationToken.None);
                    Interlocked.Increment(ref count);
                }
            })).ToArray();
            await Task.WhenAll(workers);
            return count / sw.Elapsed.TotalSeconds;
        }
        finally
        {
            Directory.Delete(dir, true);
        }
    }
}
