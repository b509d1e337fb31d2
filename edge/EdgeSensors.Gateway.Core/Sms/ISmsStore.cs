namespace EdgeSensors.Gateway.Sms;

/// <summary>A phone number subscribed to one station's alerts for one crop.</summary>
public sealed record SmsSubscription(string Phone, string Node, string Profile, long ConsentAt, string Source);

/// <summary>The life of a text, as the operator API lists it.</summary>
public static class SmsStates
{
    public const string Queued = "queued";       // waiting to be handed to gammu-smsd (or for the end of quiet hours)
    public const string Handed = "handed";       // in gammu-smsd's outbox
    public const string Sent = "sent";           // gammu-smsd moved it to its sent folder (the network took it)
    public const string Delivered = "delivered"; // a delivery report came back (modems that give them)
    public const string Failed = "failed";       // gammu-smsd moved it to its error folder
    public const string Suppressed = "suppressed"; // not sent by policy (daily limit, superseded); counted
}

/// <summary>One text: to whom, why, what, and where it is.</summary>
public sealed record SmsMessage(long Id, string Phone, string? Node, string Kind, string Text, int Segments, string State, string? Reason, string? Reference, long CreatedAt, long DueAt, long UpdatedAt);

/// <summary>The SMS port of the store: subscriptions and the text log (SQLite adapter).</summary>
public interface ISmsStore
{
    /// <summary>Adds or updates (same phone and station: the crop changes); returns true when new.</summary>
    Task<bool> SubscribeAsync(SmsSubscription subscription, CancellationToken ct);

    /// <summary>Removes the phone's subscription to a station, or all of them (node null); returns how many.</summary>
    Task<int> CancelAsync(string phone, string? node, CancellationToken ct);

    IReadOnlyList<SmsSubscription> Subscriptions(string? node = null, string? phone = null);

    Task<long> EnqueueAsync(string phone, string? node, string kind, string text, int segments, string state, string? reason, long dueAt, CancellationToken ct);

    /// <summary>Queued texts due by <paramref name="now"/>, most urgent first (danger, warning, all-clear, answers, the rest), oldest first within each.</summary>
    IReadOnlyList<SmsMessage> Due(long now, int limit);

    /// <summary>Texts in a state (e.g. handed to gammu-smsd, waiting for it).</summary>
    IReadOnlyList<SmsMessage> InState(string state, int limit);

    Task UpdateAsync(long id, string state, string? reason, string? reference, CancellationToken ct);

    /// <summary>Texts counted against a number's daily limit since <paramref name="since"/> (not suppressed).</summary>
    int CountSince(string phone, long since, IReadOnlyCollection<string> kinds);

    IReadOnlyList<SmsMessage> Recent(string? node, int limit);
}
