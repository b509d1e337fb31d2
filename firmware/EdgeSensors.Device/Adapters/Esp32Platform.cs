using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Device;
using nanoFramework.Hardware.Esp32;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// What the node says about itself: battery (1:1 divider on ADC1 channel 6, scaled by the chip's battery_gain), Wi-Fi signal from the transport's last
    /// scan, free memory. The reset reason comes from the run record (<see cref="RunJournal"/>), which DeviceApp reports
    /// in place of this one: the wake-up cause alone only tells a timer wake from any other start.
    /// </summary>
    public sealed class Esp32Platform : INodePlatform
    {
        private readonly IAnalogInput _battery;
        private readonly M2MqttTransport _transport;

        private readonly double _batteryGain;

        public Esp32Platform(IAnalogInput battery, M2MqttTransport transport, double batteryGain)
        {
            _battery = battery;
            _transport = transport;
            _batteryGain = batteryGain;
        }

        /// <summary>True when this start is a wake-up from a timer deep sleep.</summary>
        public static bool WokeByTimer => Sleep.GetWakeupCause() == Sleep.WakeupCause.Timer;

        public string FirmwareVersion => "1.0.0";

        public string ResetReason => WokeByTimer ? "deep_sleep" : "unknown";

        public double BatteryVolts => _battery.Read() * _battery.FullScaleVolts / _battery.FullScale * 2.0 * _batteryGain;

        public int RssiDbm => _transport.RssiDbm;

        public long FreeMemoryBytes => nanoFramework.Runtime.Native.GC.Run(false);
    }
}
