using System;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Protocol;

namespace EdgeSensors.Node.Device;

/// <summary>
/// Why did the chip start? nanoFramework exposes the ESP32's wake-up cause (timer or not) but not ESP-IDF's reset
/// reason, so the program keeps its own record on flash of what it was doing: awake, going to sleep, or rebooting on
/// purpose (and why). At the next start that record tells the reasons apart:
/// <list type="bullet">
/// <item>timer wake-up → <c>deep_sleep</c>;</item>
/// <item>the program had asked for the reboot → <c>watchdog</c>, <c>panic</c> or <c>software</c>;</item>
/// <item>the chip was asleep (or has no record: first start, erased flash) → <c>power_on</c> — the battery was
/// connected or the reset button pressed;</item>
/// <item>the chip was awake and nobody asked → <c>unexpected</c>: a brown-out (the usual cause on a weak battery, when
/// the radio draws its peak current), a power cut or a native crash. A technician seeing it repeat checks the battery,
/// the solar charger and the wiring.</item>
/// </list>
/// The record also keeps the last Wi-Fi signal strength measured (a scan costs awake time, so battery nodes measure on
/// a cold start and then every <see cref="RssiRefreshWakes"/> wakes, and report the stored value in between).
/// </summary>
public sealed class RunJournal
{
    /// <summary>The record on the node's storage (I:\run.state on the device).</summary>
    public const string Document = "run.state";

    /// <summary>Timer wakes between two signal-strength scans in battery mode.</summary>
    public const int RssiRefreshWakes = 24;

    private const string Awake = "awake";
    private const string Asleep = "sleep";
    private const string Rebooting = "reboot";

    private readonly IDocumentStorage _storage;
    private int _rssiDbm;
    private int _wakesSinceScan;

    private RunJournal(IDocumentStorage storage, bool wokeFromDeepSleep, string resetReason, int rssiDbm, int wakesSinceScan)
    {
        _storage = storage;
        WokeFromDeepSleep = wokeFromDeepSleep;
        ResetReason = resetReason;
        _rssiDbm = rssiDbm;
        _wakesSinceScan = wakesSinceScan;
    }

    /// <summary>The chip woke from a timer deep sleep (the boot and seq continue).</summary>
    public bool WokeFromDeepSleep { get; }

    /// <summary>Why this start happened: power_on, deep_sleep, watchdog, panic, software, unexpected or unknown.</summary>
    public string ResetReason { get; }

    /// <summary>The last measured Wi-Fi signal strength, dBm; 0 when never measured.</summary>
    public int RssiDbm => _rssiDbm;

    /// <summary>Whether the transport should scan (and so measure the signal) when it connects this wake.</summary>
    public bool RssiDue => !WokeFromDeepSleep || _rssiDbm == 0 || _wakesSinceScan >= RssiRefreshWakes;

    /// <summary>
    /// Reads the previous record, works out the reset reason and records that the program is now awake.
    /// </summary>
    public static RunJournal Open(IDocumentStorage storage, bool timerWake)
    {
        byte[]? raw = storage.Read(Document);
        string state = string.Empty;
        string why = string.Empty;
        int rssi = 0;
        int wakes = 0;
        bool readable = raw == null || TryParse(raw, out state, out why, out rssi, out wakes);

        string reason;
        if (timerWake)
        {
            reason = "deep_sleep";
        }
        else if (!readable)
        {
            reason = "unknown";
        }
        else if (raw == null || state == Asleep)
        {
            reason = "power_on";
        }
        else if (state == Rebooting)
        {
            reason = why == "watchdog" || why == "panic" ? why : "software";
        }
        else
        {
            reason = "unexpected";
        }

        var journal = new RunJournal(storage, timerWake, reason, readable ? rssi : 0, timerWake ? wakes + 1 : 0);
        journal.Save(Awake, "-");
        return journal;
    }

    /// <summary>Records a fresh signal-strength measurement (ignored when 0, i.e. not measured).</summary>
    public void RecordRssi(int rssiDbm)
    {
        if (rssiDbm == 0 || (rssiDbm == _rssiDbm && _wakesSinceScan == 0))
        {
            return;
        }

        _rssiDbm = rssiDbm;
        _wakesSinceScan = 0;
        Save(Awake, "-");
    }

    /// <summary>Call just before a timer deep sleep.</summary>
    public void MarkSleeping() => Save(Asleep, "-");

    /// <summary>Call just before rebooting on purpose: <paramref name="why"/> is watchdog, panic or software.</summary>
    public void MarkReboot(string why) => Save(Rebooting, why == "watchdog" || why == "panic" ? why : "software");

    private void Save(string state, string why)
    {
        string text = "v1 " + state + " " + why + " " + _rssiDbm.ToString() + " " + _wakesSinceScan.ToString();
        _storage.Write(Document, Utf8.Encode(text));
    }

    private static bool TryParse(byte[] raw, out string state, out string why, out int rssi, out int wakes)
    {
        state = string.Empty;
        why = string.Empty;
        rssi = 0;
        wakes = 0;
        string? text = raw.Length > 64 ? null : Utf8.Decode(raw, 0, raw.Length);
        if (text == null)
        {
            return false;
        }

        string[] parts = text.Split(' ');
        if (parts.Length != 5 || parts[0] != "v1" || !(parts[1] == Awake || parts[1] == Asleep || parts[1] == Rebooting))
        {
            return false;
        }

        if (!int.TryParse(parts[3], out rssi) || rssi > 0 || rssi < -127 || !int.TryParse(parts[4], out wakes) || wakes < 0)
        {
            return false;
        }

        state = parts[1];
        why = parts[2];
        return true;
    }
}
