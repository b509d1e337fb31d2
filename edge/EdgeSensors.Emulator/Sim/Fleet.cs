using System.Diagnostics;
using EdgeSensors.Emulator.Site;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// Drives every node from one thread: a priority queue of due times, each node's <c>Step</c> telling when it wants to
/// run next. Faults fire at their planned simulated times. Prints one summary line per interval.
/// </summary>
public sealed class Fleet : IDisposable
{
    private readonly FleetClock _clock;
    private readonly List<EmulatedNode> _nodes;
    private readonly List<ScheduledFault> _faults;
    private readonly string _host;
    private readonly int _port;
    private readonly Random _random;
    private readonly Dictionary<string, int> _faultCounts = [];
    private readonly List<Task> _background = [];
    private readonly List<(long UntilMs, Action Undo)> _undo = [];
    private readonly string _scenario;
    private readonly int _seed;

    public Fleet(FleetClock clock, List<EmulatedNode> nodes, List<ScheduledFault> faults, string host, int port, int seed, string scenario = "")
    {
        _scenario = scenario;
        _seed = seed;
        _clock = clock;
        _nodes = nodes;
        _faults = faults.OrderBy(f => f.AtMs).ToList();
        _host = host;
        _port = port;
        _random = new Random(seed ^ 0xFA17);
    }

    public IReadOnlyList<EmulatedNode> Nodes => _nodes;

    /// <summary>Plans faults from specs: nodes chosen by seed, times spread over the middle of the run.</summary>
    public static List<ScheduledFault> Plan(IEnumerable<FaultSpec> specs, IReadOnlyList<NodePlacement> nodes, long durationMs, int seed)
    {
        var random = new Random(seed ^ 0x9A17);
        var plan = new List<ScheduledFault>();
        foreach (FaultSpec spec in specs)
        {
            IEnumerable<int> targets = spec.NodeId != null
                ? [nodes.ToList().FindIndex(n => n.Id == spec.NodeId) is int i && i >= 0 ? i : throw new ArgumentException($"--fault names unknown node {spec.NodeId}")]
                : Enumerable.Range(0, nodes.Count).OrderBy(_ => random.Next()).Take(Math.Max(1, (int)Math.Round(spec.Fraction!.Value * nodes.Count)));
            foreach (int n in targets)
            {
                long at = (long)(durationMs * (0.1 + (0.5 * random.NextDouble())));
                long duration = Math.Max(5000, (long)(durationMs * (0.03 + (0.05 * random.NextDouble()))));
                plan.Add(new ScheduledFault(at, n, spec.Kind, duration));
            }
        }

        return plan;
    }

    public async Task<FleetReport> RunAsync(TimeSpan simulated, TimeSpan summaryEvery, TextWriter? summary, CancellationToken ct)
    {
        var wall = Stopwatch.StartNew();
        long endMs = (long)simulated.TotalMilliseconds;
        var queue = new PriorityQueue<EmulatedNode, long>();
        foreach (EmulatedNode n in _nodes)
        {
            queue.Enqueue(n, 0);
        }

        int nextFault = 0;
        TimeSpan nextSummary = summaryEvery;
        long minDelayMs = _clock.IsVirtual ? 1 : Math.Max(1, (long)(5 * _clock.Speed)); // never spin faster than 5 ms of wall time
        while (!ct.IsCancellationRequested)
        {
            long now = _clock.NowMs;
            if (_clock.IsVirtual && queue.TryPeek(out _, out long firstDue))
            {
                long nextEvent = Math.Min(firstDue, nextFault < _faults.Count ? _faults[nextFault].AtMs : long.MaxValue);
                _clock.AdvanceTo(Math.Min(nextEvent, endMs));
                now = _clock.NowMs;
            }

            if (now >= endMs)
            {
                break;
            }

            while (nextFault < _faults.Count && _faults[nextFault].AtMs <= now)
            {
                Apply(_faults[nextFault++]);
            }

            for (int i = _undo.Count - 1; i >= 0; i--)
            {
                if (_undo[i].UntilMs <= now)
                {
                    _undo[i].Undo();
                    _undo.RemoveAt(i);
                }
            }

            while (queue.TryPeek(out EmulatedNode? node, out long due) && due <= now)
            {
                queue.Dequeue();
                long delay = node.Step();
                queue.Enqueue(node, now + Math.Max(delay, delay == 0 ? 0 : minDelayMs));
            }

            if (summary != null && wall.Elapsed >= nextSummary)
            {
                nextSummary += summaryEvery;
                summary.WriteLine(SummaryLine(wall.Elapsed));
            }

            if (!_clock.IsVirtual && queue.TryPeek(out _, out long nextDue))
            {
                double wait = _clock.RealMsUntil(nextDue);
                if (wait >= 1)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Min(wait, 50)), ct).ConfigureAwait(false);
                }
            }
        }

        await Task.WhenAll(_background).ConfigureAwait(false);
        foreach (var (_, undo) in _undo)
        {
            undo();
        }

        return Report(wall.Elapsed);
    }

    public string SummaryLine(TimeSpan wall)
    {
        TimeSpan sim = TimeSpan.FromMilliseconds(_clock.NowMs);
        return $"wall {wall:hh\\:mm\\:ss} sim {(int)sim.TotalHours:D2}:{sim:mm\\:ss} | nodes {_nodes.Count(n => n.Connected)}/{_nodes.Count} connected"
            + $" | generated {_nodes.Sum(n => n.Generated)} acknowledged {_nodes.Sum(n => n.Acknowledged)} outbox {_nodes.Sum(n => n.Queued)}"
            + $" dropped {_nodes.Sum(n => n.DroppedByOutbox)} | faults {_faultCounts.Values.Sum()}";
    }

    public FleetReport Report(TimeSpan wall)
    {
        long generated = _nodes.Sum(n => n.Generated);
        long acked = _nodes.Sum(n => n.Acknowledged);
        return new FleetReport(
            _scenario,
            _seed,
            _clock.Speed,
            _clock.NowMs / 1000.0,
            wall.TotalSeconds,
            generated,
            acked,
            _nodes.Sum(n => n.Queued),
            _nodes.Sum(n => n.DroppedByOutbox),
            generated / Math.Max(wall.TotalSeconds, 1e-9),
            acked / Math.Max(wall.TotalSeconds, 1e-9),
            new Dictionary<string, int>(_faultCounts),
            _nodes.Select(n => new NodeReport(n.Id, n.Generated, n.Acknowledged, n.Queued, n.DroppedByOutbox, n.Boots, n.FaultsInjected.ToList())).ToList());
    }

    public void Dispose()
    {
        foreach (EmulatedNode n in _nodes)
        {
            n.Dispose();
        }
    }

    private void Apply(ScheduledFault f)
    {
        EmulatedNode node = _nodes[f.NodeIndex];
        string name = FaultSpec.KindName(f.Kind);
        _faultCounts[name] = _faultCounts.GetValueOrDefault(name) + 1;
        long until = _clock.NowMs + f.DurationMs;
        switch (f.Kind)
        {
            case FaultKind.WifiDrop when node.Mqtt != null:
                node.NoteFault(name);
                node.Mqtt.WifiUp = false;
                _undo.Add((until, () => node.Mqtt.WifiUp = true));
                break;
            case FaultKind.Reboot:
                node.Reboot(name, deliberate: true);
                break;
            case FaultKind.BrownOut:
                // Power dies while a publish is in flight: no PUBACK is seen, whatever the gateway stored.
                node.Reboot(name, deliberate: false);
                break;
            case FaultKind.ClockUnsynced:
                node.NoteFault(name);
                node.Clock.Synchronized = false;
                _undo.Add((until, () => node.Clock.Synchronized = true));
                break;
            case FaultKind.ClockJump:
                node.NoteFault(name);
                node.Clock.JumpSeconds += _random.Next(2) == 0 ? 3600 : -3600;
                _undo.Add((until, () => node.Clock.JumpSeconds = 0));
                break;
            case FaultKind.OpenProbe:
                node.NoteFault(name);
                node.Sensors.OpenProbe = true;
                _undo.Add((until, () => node.Sensors.OpenProbe = false));
                break;
            case FaultKind.StuckAdc:
                node.NoteFault(name);
                node.Sensors.StuckAdc = true;
                _undo.Add((until, () => node.Sensors.StuckAdc = false));
                break;
            default:
                node.NoteFault(name);
                if (node.Mqtt != null)
                {
                    string other = _nodes[(f.NodeIndex + 1) % _nodes.Count].Id;
                    var random = new Random(_random.Next());
                    _background.Add(Task.Run(async () =>
                    {
                        try
                        {
                            await RogueClient.RunAsync(f.Kind, _host, _port, node.Id, node.Secret, other, random).ConfigureAwait(false);
                        }
                        catch (Exception)
                        {
                            // The gateway may drop a rogue connection: that is its job.
                        }
                    }));
                }

                break;
        }
    }
}
