using System;
using System.Diagnostics;

namespace EdgeSensors.Device.Simulator.Board;

/// <summary>
/// Board time. It runs <see cref="Speed"/> times faster than the host's clock while the chip is awake, and jumps over
/// deep sleeps and powered-off time, so a day of a node's life takes minutes. Three clocks, as on the ESP32:
/// <list type="bullet">
/// <item>the tick counter (<c>Environment.TickCount64</c>): milliseconds since this boot, restarting at 0 at every
/// boot, never set;</item>
/// <item>the RTC behind <c>DateTime.UtcNow</c>: unset after a power-on (it counts from 1970-01-01, ESP-IDF's
/// <c>time()</c> epoch), set by SNTP (a jump of decades), kept across deep sleep and software resets (the RTC timer
/// keeps running), lost with power;</item>
/// <item>the board's own timeline (<see cref="VirtualMs"/>), for the test's record.</item>
/// </list>
/// </summary>
public sealed class BoardClock
{
    private readonly Stopwatch _real = Stopwatch.StartNew();
    private readonly object _gate = new();
    private double _jumpedMs;
    private long _bootAtMs;
    private long _rtcBaseUnixMs;
    private long _rtcBaseAtMs;

    public BoardClock(double speed)
    {
        if (speed < 1 || speed > 1000)
        {
            throw new ArgumentOutOfRangeException(nameof(speed), speed, "board speed must be between 1 and 1000 times real time");
        }

        Speed = speed;
    }

    /// <summary>Board milliseconds per host millisecond.</summary>
    public double Speed { get; }

    /// <summary>Board time since the board was built, ms.</summary>
    public long VirtualMs
    {
        get
        {
            lock (_gate)
            {
                return (long)(_jumpedMs + (_real.Elapsed.TotalMilliseconds * Speed));
            }
        }
    }

    /// <summary>Milliseconds since this boot (the ESP32's esp_timer, read by Environment.TickCount64).</summary>
    public long TickCount64 => VirtualMs - _bootAtMs;

    /// <summary>Whether SNTP has set the RTC since the last power-on.</summary>
    public bool RtcSet { get; private set; }

    /// <summary>What DateTime.UtcNow returns on the chip now.</summary>
    public DateTime RtcUtc => DateTime.UnixEpoch.AddMilliseconds(_rtcBaseUnixMs + (VirtualMs - _rtcBaseAtMs));

    /// <summary>Host milliseconds to wait for a board interval.</summary>
    public int HostMs(long boardMs) => boardMs <= 0 ? 0 : (int)Math.Max(1, Math.Ceiling(boardMs / Speed));

    /// <summary>SNTP answered: the RTC jumps to the server's time.</summary>
    public void SetRtc(DateTime utc)
    {
        _rtcBaseUnixMs = (long)(utc - DateTime.UnixEpoch).TotalMilliseconds;
        _rtcBaseAtMs = VirtualMs;
        RtcSet = true;
    }

    /// <summary>Power-on: the RTC counts from the epoch again.</summary>
    public void ResetRtc()
    {
        _rtcBaseUnixMs = 0;
        _rtcBaseAtMs = VirtualMs;
        RtcSet = false;
    }

    /// <summary>A boot: the tick counter restarts.</summary>
    public void StartBoot() => _bootAtMs = VirtualMs;

    /// <summary>Time that passes without the host waiting (a deep sleep, the battery out).</summary>
    public void Jump(long boardMs)
    {
        lock (_gate)
        {
            _jumpedMs += boardMs;
        }
    }
}
