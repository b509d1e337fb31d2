using System;
using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// Two clocks, kept apart. The schedule (intervals, timeouts, the software watchdog) runs on the tick counter
    /// (<c>Environment.TickCount64</c>, nanoFramework.Runtime.Native: milliseconds since boot, never set), so SNTP setting
    /// the RTC — a jump of decades after a power-on — moves no deadline. Readings are stamped from the RTC
    /// (<c>DateTime.UtcNow</c>), which is unset until SNTP answers (the gateway first, then the public pool).
    /// </summary>
    public sealed class DeviceClock : INodeClock
    {
        /// <summary>An RTC before this year has not been set since the last power-on (it counts from 1970).</summary>
        public const int FirstPlausibleYear = 2025;

        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0); // nanoFramework time is UTC only

        public long MonotonicMs => Environment.TickCount64;

        public long UnixSeconds => (DateTime.UtcNow - UnixEpoch).Ticks / TimeSpan.TicksPerSecond;

        public bool IsSynchronized => DateTime.UtcNow.Year >= FirstPlausibleYear;
    }
}
