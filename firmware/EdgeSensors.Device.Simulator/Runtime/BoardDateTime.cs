using System;
using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary>
/// <c>DateTime</c> as the device program sees it on the board: <see cref="UtcNow"/> reads the board's RTC, unset
/// (1970) after a power-on until SNTP sets it. Only the members the device program uses; nanoFramework's DateTime is
/// UTC only.
/// </summary>
public readonly struct BoardDateTime : IEquatable<BoardDateTime>
{
    private readonly DateTime _value;

    public BoardDateTime(int year, int month, int day, int hour, int minute, int second)
    {
        _value = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Utc);
    }

    private BoardDateTime(DateTime value)
    {
        _value = value;
    }

    public static BoardDateTime UtcNow => new(BoardRun.Live.Board.Clock.RtcUtc);

    public int Year => _value.Year;

    public long Ticks => _value.Ticks;

    public static TimeSpan operator -(BoardDateTime a, BoardDateTime b) => a._value - b._value;

    public static bool operator ==(BoardDateTime a, BoardDateTime b) => a._value == b._value;

    public static bool operator !=(BoardDateTime a, BoardDateTime b) => a._value != b._value;

    public bool Equals(BoardDateTime other) => _value == other._value;

    public override bool Equals(object? obj) => obj is BoardDateTime other && Equals(other);

    public override int GetHashCode() => _value.GetHashCode();

    public override string ToString() => _value.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
}
