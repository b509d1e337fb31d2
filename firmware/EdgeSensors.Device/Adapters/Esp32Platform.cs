using System;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Device;
using nanoFramework.Hardware.Esp32;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>What the node says about itself: reset reason, battery (1:1 divider on ADC1 channel 6), free memory.</summary>
    public sealed class Esp32Platform : INodePlatform
    {
        private readonly IAnalogInput _battery;
        private readonly string _resetReason;

        public Esp32Platform(IAnalogInput battery)
        {
            _battery = battery;
            Sleep.WakeupCause cause = Sleep.GetWakeupCause();
            _resetReason = cause == Sleep.WakeupCause.Timer ? "deep_sleep" : cause == Sleep.WakeupCause.Undefined ? "power_on" : "unknown";
        }

        public bool WokeFromDeepSleep => _resetReason == "deep_sleep";

        public string FirmwareVersion => "1.0.0";

        public string ResetReason => _resetReason;

        public double BatteryVolts => _battery.Read() * _battery.FullScaleVolts / _battery.FullScale * 2.0;

        public int RssiDbm => 0;

        public long FreeMemoryBytes => nanoFramework.Runtime.Native.GC.Run(false);
    }
}
