using System.Collections.Concurrent;

namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// Bans for password guessers (issue 15), after EMQX's flapping detection and banned-clients list: failed connects
/// are counted per (source address, username) and per source address; past a threshold within a window the key is
/// banned, for a time that doubles with each new ban (capped). Keyed on the username, the node id being guessed, not
/// the client id, which a guesser rotates at will (issue 29). A ban by address refuses only usernames that have
/// failed from it, so a legitimate node behind the same address (a commune's NAT) keeps working. Bans end by time or
/// when an operator lifts them. In memory: a restart forgives, which a guesser gains little from at one restart a day.
/// </summary>
public sealed class ConnectBans(int maxFailures, TimeSpan window, TimeSpan firstBan, TimeSpan maxBan)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    /// <summary>A ban in force, for the operator's view.</summary>
    public sealed record Ban(string Key, DateTimeOffset Until, int Bans);

    /// <summary>True when a connect from <paramref name="address"/> as <paramref name="username"/> is refused now.</summary>
    public bool IsBanned(string address, string? username, DateTimeOffset now) =>
        Banned(PairKey(address, username), now) || (Banned(AddressKey(address), now) && HasFailed(address, username));

    /// <summary>A failed connect; returns the key banned by it, if any.</summary>
    public string? Failed(string address, string? username, DateTimeOffset now)
    {
        string? banned = null;
        foreach (string key in new[] { PairKey(address, username), AddressKey(address) })
        {
            Entry e = _entries.GetOrAdd(key, _ => new Entry());
            lock (e)
            {
                if (now - e.WindowStart > window)
                {
                    e.WindowStart = now;
                    e.Failures = 0;
                }

                // An address is banned only after several of its clients' worth of failures.
                int threshold = key.StartsWith("addr:", StringComparison.Ordinal) ? maxFailures * 4 : maxFailures;
                if (++e.Failures >= threshold && e.Until <= now)
                {
                    e.Bans++;
                    TimeSpan length = TimeSpan.FromTicks(Math.Min(maxBan.Ticks, firstBan.Ticks << Math.Min(e.Bans - 1, 20)));
                    e.Until = now + length;
                    e.Failures = 0;
                    banned = key;
                }
            }
        }

        return banned;
    }

    /// <summary>Bans in force.</summary>
    public IReadOnlyList<Ban> Active(DateTimeOffset now) =>
        _entries.Where(kv => kv.Value.Until > now).Select(kv => new Ban(kv.Key, kv.Value.Until, kv.Value.Bans)).OrderBy(b => b.Key, StringComparer.Ordinal).ToList();

    /// <summary>The operator lifts a ban (key as listed); false when there was none.</summary>
    public bool Lift(string key) => _entries.TryRemove(key, out _);

    private static string PairKey(string address, string? username) => $"user:{username ?? string.Empty}@{address}";

    private static string AddressKey(string address) => $"addr:{address}";

    private bool Banned(string key, DateTimeOffset now) => _entries.TryGetValue(key, out Entry? e) && e.Until > now;

    private bool HasFailed(string address, string? username) => _entries.ContainsKey(PairKey(address, username));

    private sealed class Entry
    {
        public DateTimeOffset WindowStart { get; set; } = DateTimeOffset.MinValue;

        public int Failures { get; set; }

        public DateTimeOffset Until { get; set; } = DateTimeOffset.MinValue;

        public int Bans { get; set; }
    }
}
