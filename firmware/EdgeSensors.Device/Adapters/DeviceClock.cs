using System;
using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>The RTC, set by SNTP (the gateway first, then the public pool) once Wi-Fi is up; unsynchronised before.</summary>
    public sealed class DeviceClock : INodeClock
    {
        private static readonly DateTime UnixEpoch = new DateTime(1970, 1, 1, 0, 0, 0); // nanoFramework time is UTC only
        private readonly DateTime _bootedAt = DateTime.UtcNow;
        private long _monotonicBase;

        public long MonotonicMs
        {
            get
            {
                // The RTC can jump when SNTP sets it; the cycle's schedule must not, so ticks since boot are used.
                long ms = (DateTime.UtcNow - _bootedAt).Ticks / TimeSpan.TicksPerMillisecond;
                if (ms < _monotonicBase)
                {
                    ms = _monotonicBase;
                }

                _monotonicBase = ms;
                return ms;
            }
        }

        public long UnixSeconds => (DateTime.UtcNow - UnixEpoch).Ticks / TimeSpan.TicksPerSecond;

        public bool IsSynchronized => DateTime.UtcNow.Year >= 2025;
    }
}
