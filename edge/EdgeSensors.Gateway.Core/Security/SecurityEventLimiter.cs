namespace EdgeSensors.Gateway.Security;

/// <summary>
/// Security events to the SOC, limited per source and kind and summarised instead of dropped (issue 29: one
/// connection's 44,000 refused subscribes pushed 3,205 older events out of the SOC queue). Each (source, kind) may send
/// <c>perMinute</c> events in a minute; the rest of that minute is counted and sent as one summary event when the minute
/// ends, so a flood costs the queue one line a minute and the SOC still learns how many there were.
/// </summary>
public sealed class SecurityEventLimiter(int perMinute, TimeProvider? time = null)
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<(string Who, string Kind), Window> _windows = [];
    private readonly object _gate = new();

    /// <summary>Events counted into summaries so far.</summary>
    public long Summarised { get; private set; }

    /// <summary>True when <paramref name="e"/> may go out as it is; otherwise it is counted into its minute's summary.</summary>
    public bool Admit(SecurityEvent e)
    {
        lock (_gate)
        {
            var key = (e.Source ?? e.Node ?? "-", e.Kind);
            DateTimeOffset now = _time.GetUtcNow();
            if (!_windows.TryGetValue(key, out Window? w) || now - w.Start >= Minute)
            {
                if (w is { Suppressed: > 0 })
                {
                    _ended.Add(Summary(key, w));
                }

                w = new Window(now, e);
                _windows[key] = w;
            }

            if (++w.Count <= perMinute)
            {
                return true;
            }

            w.Suppressed++;
            Summarised++;
            return false;
        }
    }

    private readonly List<SecurityEvent> _ended = [];

    /// <summary>Summaries of the minutes that have ended (taken once), to send after the events they stand for.</summary>
    public IReadOnlyList<SecurityEvent> TakeSummaries()
    {
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            foreach (var kv in _windows.Where(kv => now - kv.Value.Start >= Minute).ToList())
            {
                if (kv.Value.Suppressed > 0)
                {
                    _ended.Add(Summary(kv.Key, kv.Value));
                }

                _windows.Remove(kv.Key);
            }

            var list = _ended.ToList();
            _ended.Clear();
            return list;
        }
    }

    private static SecurityEvent Summary((string Who, string Kind) key, Window w) => new(
        w.Start + Minute, key.Kind, w.First.Severity, w.First.Source, w.First.Node, w.First.Reason,
        $"{w.Suppressed} more {key.Kind} events from {key.Who} in the minute from {w.Start:HH:mm:ss}Z, summarised (the first {w.Count - w.Suppressed} were sent one by one)");

    private sealed class Window(DateTimeOffset start, SecurityEvent first)
    {
        public DateTimeOffset Start { get; } = start;

        public SecurityEvent First { get; } = first;

        public int Count { get; set; }

        public int Suppressed { get; set; }
    }
}
