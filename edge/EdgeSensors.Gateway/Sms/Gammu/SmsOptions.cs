using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Sms.Gammu;

/// <summary>
/// Section "Sms": texts to farmers through the gateway's USB modem, by gammu-smsd (docs/sms.md). Off by default: a
/// gateway without a modem and a SIM sends nothing.
/// </summary>
public sealed class SmsOptions
{
    public const string Section = "Sms";

    public bool Enabled { get; set; }

    /// <summary>gammu-smsd's configuration file (its [smsd] section names the inbox, outbox, sent and error folders).</summary>
    public string SmsdConfigPath { get; set; } = "/etc/gammu-smsdrc";

    /// <summary>gammu-smsd's documented way to queue a text.</summary>
    public string InjectCommand { get; set; } = "gammu-smsd-inject";

    /// <summary>
    /// gsm7: Vietnamese without diacritics in GSM 7-bit (160 characters a segment, shown by every phone); ucs2: full
    /// diacritics in UCS-2 (70 a segment, about twice the texts and cost). docs/sms.md says why gsm7 is the default.
    /// </summary>
    [RegularExpression("^(gsm7|ucs2)$", ErrorMessage = "Sms:Alphabet is gsm7 or ucs2")]
    public string Alphabet { get; set; } = "gsm7";

    /// <summary>Alert, all-clear and morning texts per number per day, at most (answers to a farmer's own texts are counted apart, 10 a day).</summary>
    [Range(1, 100, ErrorMessage = "Sms:MaxPerNumberPerDay is 1 … 100")]
    public int MaxPerNumberPerDay { get; set; } = 6;

    /// <summary>Quiet hours, local time: only danger texts go out between these hours; the rest wait for the morning.</summary>
    [Range(0, 23, ErrorMessage = "Sms:QuietFromHour is 0 … 23")]
    public int QuietFromHour { get; set; } = 21;

    [Range(0, 23, ErrorMessage = "Sms:QuietUntilHour is 0 … 23")]
    public int QuietUntilHour { get; set; } = 5;

    /// <summary>The local time zone (Việt Nam: UTC+7, no daylight saving).</summary>
    public string TimeZone { get; set; } = "Asia/Ho_Chi_Minh";

    /// <summary>Morning text with the day's safe-intake windows at this local hour (-1: none).</summary>
    [Range(-1, 23, ErrorMessage = "Sms:MorningHour is -1 (off) or 0 … 23")]
    public int MorningHour { get; set; } = 5;

    /// <summary>How often the outbox, sent, error and inbox folders are looked at, ms.</summary>
    [Range(100, 60000, ErrorMessage = "Sms:PollMs is 100 … 60000")]
    public int PollMs { get; set; } = 1000;

    /// <summary>
    /// Answers to texts (codes, status, help) to all numbers together per hour; more are counted and not sent. Also the
    /// most subscribe/cancel requests that may wait for their code at once.
    /// </summary>
    [System.ComponentModel.DataAnnotations.Range(1, 10000)]
    public int MaxRepliesPerHour { get; set; } = 60;

    public TimeZoneInfo Zone => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out TimeZoneInfo? z) ? z : TimeZoneInfo.CreateCustomTimeZone("UTC+7", TimeSpan.FromHours(7), "UTC+7", "UTC+7");
}
