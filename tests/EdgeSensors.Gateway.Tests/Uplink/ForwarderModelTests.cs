using System.Collections.Concurrent;
using System.Text.Json;
using EdgeSensors.Gateway.Observability;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Gateway.Uplink;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;
using EdgeSensors.Gateway.Storage.Sqlite;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>
/// The forwarder, the store budget and the when-full policy in process, against a model (the shape of Vector's
/// disk-buffer model tests): random sequences of operations — nodes committing batches, the IOC going down and
/// coming back, publishes failing mid-flight, the budget running on a 1 MB cap, the gateway restarting on the same
/// file — and then the one property the gateway exists for: every reading whose commit returned is either at the IOC
/// (by node, boot, seq) or inside a gap record the IOC received, and nothing else is; nothing dropped is unreported.
/// Real SQLite file, real forwarder and budget; only the IOC is a recording fake of the uplink port.
/// </summary>
public sealed class ForwarderModelTests(ITestOutputHelper output)
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public Task Every_committed_reading_reaches_the_IOC_or_a_reported_gap_whatever_the_sequence(int seed) => RunAsync(seed, restarts: true);

    [Theory]
    [InlineData(11)]
    [InlineData(12)]
    [InlineData(13)]
    public Task Without_restarts_no_reading_is_both_forwarded_and_reported_dropped(int seed) => RunAsync(seed, restarts: false);

    private async Task RunAsync(int seed, bool restarts)
    {
        var random = new Random(seed);
        using var dir = new TempDir();
        string path = Path.Combine(dir.Path, "edgesensors.db");
        // Down at first, so that on a 1 MB cap the when-full policy has to drop unforwarded readings and report them.
        var ioc = new RecordingIoc(random.Next()) { Up = seed % 2 == 0 };
        var committed = new HashSet<(string, uint, uint)>();
        var nextSeq = new Dictionary<string, uint>();
        string[] nodes = ["hg-a", "hg-b", "hg-c", "hg-d"];
        int restartCount = 0;
        Gateway gw = await Gateway.StartAsync(path, ioc);
        try
        {
            for (int op = 0; op < 80; op++)
            {
                if (!restarts)
                {
                    ioc.Up = op % 20 >= 12; // long outages, then the IOC back while the budget keeps running
                }

                switch (random.Next(10))
                {
                    case < 6:
                        string node = nodes[random.Next(nodes.Length)];
                        int n = random.Next(1, restarts ? 800 : 2500);
                        uint first = nextSeq.GetValueOrDefault(node) + 1;
                        var batch = Enumerable.Range(0, n).Select(i => Reading(node, first + (uint)i)).ToArray();
                        CommitResult r = await gw.Store.StoreAsync(batch, CancellationToken.None);
                        Assert.Equal(n, r.Stored + r.Duplicates);
                        foreach (StoredReading s in batch)
                        {
                            committed.Add((s.Node, s.Boot, s.Seq));
                        }

                        nextSeq[node] = first + (uint)n - 1;
                        break;
                    case 6:
                        ioc.Up = !ioc.Up;
                        break;
                    case 7:
                        await gw.Budget.EnforceAsync(CancellationToken.None);
                        break;
                    case 8:
                        await Task.Delay(random.Next(1, 30));
                        break;
                    case 9 when !restarts:
                        await Task.Delay(random.Next(1, 30));
                        break;
                    default:
                        restartCount++;
                        await gw.DisposeAsync();
                        gw = await Gateway.StartAsync(path, ioc);
                        break;
                }
            }

            // The IOC comes back for good; the gateway drains.
            ioc.Up = true;
            ioc.FailureRate = 0;
            await gw.Budget.EnforceAsync(CancellationToken.None);
            DateTime until = DateTime.UtcNow.AddSeconds(60);
            while ((gw.Store.Backlog().Count > 0 || gw.Outbound.Pending(1).Count > 0) && DateTime.UtcNow < until)
            {
                await Task.Delay(50);
            }

            Assert.Equal(0, gw.Store.Backlog().Count);
            Assert.Empty(gw.Outbound.Pending(1));
        }
        finally
        {
            await gw.DisposeAsync();
        }

        HashSet<(string, uint, uint)> delivered = ioc.Readings;
        HashSet<(string, uint, uint)> gapped = ioc.Gapped;
        var missing = committed.Where(k => !delivered.Contains(k) && !gapped.Contains(k)).ToList();
        int overlap = gapped.Count(delivered.Contains);
        output.WriteLine($"seed {seed}: {committed.Count} committed, {delivered.Count} at the IOC, {gapped.Count} in gap records, {ioc.Duplicates} re-sent, {restartCount} restarts, {overlap} both forwarded and in a gap record, {ioc.Failed} failed publishes");
        Assert.Empty(missing);
        Assert.DoesNotContain(delivered, k => !committed.Contains(k));
        Assert.DoesNotContain(gapped, k => !committed.Contains(k));
        // A reading dropped by policy was not also forwarded — except what a restart cannot know: readings the IOC
        // acknowledged above the checkpoint the gateway had persisted (at most one window per restart; the IOC keeps
        // what it has, and its completeness report counts a reading present even where a gap record names it).
        int window = 4 * 50;
        Assert.True(overlap <= restartCount * window, $"{overlap} readings both at the IOC and in a gap record, {restartCount} restarts");
        Assert.Equal(committed.Count, delivered.Count + gapped.Count - overlap);
    }

    private static StoredReading Reading(string node, uint seq)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new StoredReading(0, node, 7, seq, now, now, true, [1.82, 3.61, 28.4, 0.82, 1008.2, 31.2, 71]);
    }

    /// <summary>The gateway's storage and uplink pieces, wired as the host wires them, on one database file.</summary>
    private sealed class Gateway : IAsyncDisposable
    {
        private EdgeDatabase _db = null!;
        private UplinkForwarder _forwarder = null!;

        public ReadingStore Store { get; private set; } = null!;

        public OutboundLane Outbound { get; private set; } = null!;

        public StoreSizePolicy Budget { get; private set; } = null!;

        public static async Task<Gateway> StartAsync(string path, IIocUplink ioc)
        {
            var options = MsOptions.Create(new StoreOptions { MaxBytes = 1_000_000, HistoryHighWaterPercent = 50, GroupCommitDelayMs = 0 });
            var metrics = new GatewayMetrics();
            var encoder = new IocMessageEncoder(MsOptions.Create(new GatewayOptions { Site = "model" }));
            var g = new Gateway { _db = new EdgeDatabase(path) };
            g.Store = new ReadingStore(g._db, options, metrics, NullLogger<ReadingStore>.Instance);
            g.Outbound = new OutboundLane(g._db);
            g.Budget = new StoreSizePolicy(new StoreBudget(g._db, g.Store), options, metrics, new EdgeSensors.Gateway.Security.SecurityEvents(), NullLogger<StoreSizePolicy>.Instance);
            g.Budget.Dropped += g.Outbound.RaiseQueued;
            var uplink = MsOptions.Create(new UplinkOptions { Host = "ioc.model", ReconnectBaseMs = 5, ReconnectMaxMs = 20, InFlightWindow = 4, MaxReadingsPerMessage = 50 });
            g._forwarder = new UplinkForwarder(ioc, uplink, g.Store, g.Store, g.Outbound, new NodeRegistry(g._db), encoder, metrics, NullLogger<UplinkForwarder>.Instance);
            await g._forwarder.StartAsync(CancellationToken.None);
            return g;
        }

        public async ValueTask DisposeAsync()
        {
            await _forwarder.StopAsync(CancellationToken.None);
            _forwarder.Dispose();
            await Store.DisposeAsync();
            _db.Dispose();
        }
    }

    /// <summary>The IOC as the uplink port sees it: up or down, failing some publishes, recording what it acknowledged.</summary>
    private sealed class RecordingIoc(int seed) : IIocUplink
    {
        private readonly Random _random = new(seed);
        private readonly ConcurrentDictionary<(string, uint, uint), int> _readings = new();
        private readonly ConcurrentDictionary<(string, uint, uint), bool> _gapped = new();
        private readonly Lock _lock = new();
        private bool _connected;

        public volatile bool Up = true;

        public double FailureRate { get; set; } = 0.1;

        public int Failed { get; private set; }

        public int Duplicates => _readings.Values.Sum(v => v - 1);

        public HashSet<(string, uint, uint)> Readings => [.. _readings.Keys];

        public HashSet<(string, uint, uint)> Gapped => [.. _gapped.Keys];

        public bool IsConnected => _connected && Up;

        public Task ConnectAsync(CancellationToken ct)
        {
            _connected = Up ? true : throw new IOException("the IOC is down");
            return Task.CompletedTask;
        }

        public Task<bool> PublishAsync(IocMessage message, CancellationToken ct)
        {
            lock (_lock)
            {
                if (!Up || _random.NextDouble() < FailureRate)
                {
                    // The link dropped before the acknowledgement: the IOC may or may not have it; here it has not.
                    Failed++;
                    _connected = false;
                    return Task.FromResult(false);
                }
            }

            using JsonDocument doc = JsonDocument.Parse(message.Payload);
            JsonElement root = doc.RootElement;
            switch (message.Kind)
            {
                case IocMessageKind.Readings:
                    string node = root.GetProperty("node").GetString()!;
                    foreach (JsonElement r in root.GetProperty("readings").EnumerateArray())
                    {
                        _readings.AddOrUpdate((node, r.GetProperty("boot").GetUInt32(), r.GetProperty("seq").GetUInt32()), 1, (_, c) => c + 1);
                    }

                    break;
                case IocMessageKind.Gap:
                    string gapNode = root.GetProperty("node").GetString()!;
                    uint boot = root.GetProperty("boot").GetUInt32();
                    for (uint s = root.GetProperty("seq_from").GetUInt32(); s <= root.GetProperty("seq_to").GetUInt32(); s++)
                    {
                        _gapped[(gapNode, boot, s)] = true;
                    }

                    break;
            }

            return Task.FromResult(true);
        }

        public Task DisconnectAsync()
        {
            _connected = false;
            return Task.CompletedTask;
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
