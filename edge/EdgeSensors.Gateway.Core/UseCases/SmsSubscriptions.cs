using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Sms;
using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>A subscription as made.</summary>
public sealed record SmsSubscribed(string Phone, string Node, string Profile, bool Created);

/// <summary>
/// Subscribing a phone number to a station's salinity texts and cancelling, one home for the rules whoever asks — a
/// technician through the API or the CLI on a stopped gateway's store (the farmer asked in person), or the number
/// itself by text once it has sent back its code: the number rule, the station, the crop, and one audit entry shape
/// (target the masked number, detail the station and crop, issue 29: subscribing by text was not audited).
/// </summary>
public sealed class SmsSubscriptions(ISmsStore sms, INodeDirectory nodes, IAuditLog audit, IReadOnlyList<CropProfile> profiles, TimeProvider? time = null)
{
    private readonly TimeProvider _time = time ?? TimeProvider.System;

    /// <param name="caller">The audit's account: an operator, "local:…", or "sms" for a confirmed text.</param>
    /// <param name="source">Where the consent came from, kept with the subscription ("api:kt-lan", "local:…", "sms").</param>
    public async Task<UseCaseOutcome<SmsSubscribed>> SubscribeAsync(string caller, string source, string? phone, string? node, string? profile, CancellationToken ct)
    {
        string? e164 = PhoneNumbers.Normalize(phone, out string? error);
        if (e164 == null)
        {
            return UseCaseOutcome.Fail<SmsSubscribed>(UseCaseStatus.Invalid, $"phone: {error}");
        }

        // The station as a farmer or a technician names it: its code, or its place's name (issue 30: the same rule as
        // the farmers' texts, SmsStations); a name several stations share is refused with their codes.
        if (node != null && nodes.Find(node) == null)
        {
            (NodeRecord? named, IReadOnlyList<NodeRecord> choices) = Sms.SmsStations.Resolve(node, nodes.List());
            if (choices.Count > 1)
            {
                return UseCaseOutcome.Fail<SmsSubscribed>(UseCaseStatus.Invalid, $"node: \"{node}\" names {choices.Count} stations ({string.Join(", ", choices.Select(c => c.Id))}); give one's code");
            }

            node = named?.Id ?? node;
        }

        if (node == null || nodes.Find(node) == null)
        {
            return UseCaseOutcome.Fail<SmsSubscribed>(UseCaseStatus.Invalid, $"node: no node \"{node}\"");
        }

        // A crop by its profile id or by the word farmers text (LUA, XOAI…: SmsCommand.CropWords, the one list).
        CropProfile? crop = CropProfiles.Find(profiles, profile ?? string.Empty)
            ?? (profile != null && Sms.SmsCommand.CropWords.TryGetValue(Sms.SmsEncoding.Fold(profile.Trim()), out string? id) ? CropProfiles.Find(profiles, id) : null);
        if (crop == null)
        {
            return UseCaseOutcome.Fail<SmsSubscribed>(UseCaseStatus.Invalid, $"profile: unknown \"{profile}\" (a profile id: {string.Join(", ", profiles.Select(p => p.Id))}; or a farmer's word: {string.Join(", ", Sms.SmsCommand.CropWords.Keys)})");
        }

        bool created = await sms.SubscribeAsync(new SmsSubscription(e164, node, crop.Id, _time.GetUtcNow().ToUnixTimeSeconds(), source), ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, "sms_subscribe", PhoneNumbers.Mask(e164), $"{node} {crop.Id} ({source})", ct).ConfigureAwait(false);
        return UseCaseOutcome.Ok(new SmsSubscribed(e164, node, crop.Id, created));
    }

    /// <summary>Cancels the number's subscription to <paramref name="node"/>, or all of them; the value is how many.</summary>
    public async Task<UseCaseOutcome<(string Phone, int Removed)>> CancelAsync(string caller, string source, string? phone, string? node, CancellationToken ct)
    {
        string? e164 = PhoneNumbers.Normalize(phone, out string? error);
        if (e164 == null)
        {
            return UseCaseOutcome.Fail<(string, int)>(UseCaseStatus.Invalid, $"phone: {error}");
        }

        int removed = await sms.CancelAsync(e164, node, ct).ConfigureAwait(false);
        await audit.RecordAsync(caller, "sms_unsubscribe", PhoneNumbers.Mask(e164), $"{node ?? "all"}: {removed} ({source})", ct).ConfigureAwait(false);
        return UseCaseOutcome.Ok((e164, removed));
    }
}
