using System.Security.Cryptography;

namespace EdgeSensors.Gateway.Sms;

/// <summary>A subscribe or cancel waiting for the code sent to the number that asked.</summary>
public sealed record PendingSmsChange(string Phone, SmsCommandKind Kind, string? Node, string? Profile, string Code, DateTimeOffset Expires)
{
    public int Attempts { get; set; }
}

/// <summary>
/// A text's sender can be forged (issue 29: a spoofed "HUY" unsubscribed a farmer, a spoofed "DK" subscribed anyone's
/// number). A change asked for by text is done only when the code sent to that number comes back from it ("XN 1234"):
/// only the phone that really holds the number sees the code. Codes last 30 minutes and allow three tries; one
/// change waits per number (a new request replaces it), and at most <c>maxPending</c> wait at once. In memory: after a
/// restart a farmer simply asks again.
/// </summary>
public sealed class SmsConfirmations(int maxPending, TimeProvider? time = null)
{
    /// <summary>How long a code is good for.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(30);

    /// <summary>Wrong codes before the change is dropped.</summary>
    public const int MaxAttempts = 3;

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private readonly Dictionary<string, PendingSmsChange> _pending = new(StringComparer.Ordinal);
    private readonly object _gate = new();

    /// <summary>Starts a change for <paramref name="phone"/>; null when too many wait already.</summary>
    public PendingSmsChange? Request(string phone, SmsCommandKind kind, string? node, string? profile)
    {
        lock (_gate)
        {
            DateTimeOffset now = _time.GetUtcNow();
            foreach (string expired in _pending.Where(p => p.Value.Expires <= now).Select(p => p.Key).ToList())
            {
                _pending.Remove(expired);
            }

            if (!_pending.ContainsKey(phone) && _pending.Count >= maxPending)
            {
                return null;
            }

            var change = new PendingSmsChange(phone, kind, node, profile, RandomNumberGenerator.GetInt32(1000, 10000).ToString(System.Globalization.CultureInfo.InvariantCulture), now + Lifetime);
            _pending[phone] = change;
            return change;
        }
    }

    /// <summary>The change <paramref name="code"/> confirms for <paramref name="phone"/>, taken; null when it does not.</summary>
    public PendingSmsChange? Confirm(string phone, string? code)
    {
        lock (_gate)
        {
            if (!_pending.TryGetValue(phone, out PendingSmsChange? change) || change.Expires <= _time.GetUtcNow())
            {
                _pending.Remove(phone);
                return null;
            }

            if (code != null && CryptographicOperations.FixedTimeEquals(System.Text.Encoding.ASCII.GetBytes(code), System.Text.Encoding.ASCII.GetBytes(change.Code)))
            {
                _pending.Remove(phone);
                return change;
            }

            if (++change.Attempts >= MaxAttempts)
            {
                _pending.Remove(phone);
            }

            return null;
        }
    }

    /// <summary>Changes waiting now.</summary>
    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _pending.Count;
            }
        }
    }
}
