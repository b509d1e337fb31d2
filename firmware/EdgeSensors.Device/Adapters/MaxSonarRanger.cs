using System;
using nanoFramework.Hardware.Esp32.Rmt;
using EdgeSensors.Node.Device;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// A MaxBotix HRXL-MaxSonar-WR 5 m ranger (MB7389) in triggered operation, timed by the ESP32's RMT peripheral
    /// (nanoFramework.Hardware.Esp32.Rmt): pin 4 is held low between readings and raised for 30 µs (the datasheet asks
    /// for more than 20 µs, and for it to fall again before the range cycle ends at ~147 ms); the sensor then sends a
    /// pulse on pin 2 about 135 ms later, 300–5,000 µs long. RMT measures that width in hardware to 1 µs; a managed
    /// GPIO poll would not. The width goes to the node logic as it is: the 1 µs-per-mm rule is the node's
    /// (<see cref="EdgeSensors.Node.Science.WaterLevel.MaxSonar"/>). Hand-written because no nanoFramework binding
    /// for the MaxSonar family exists; the Hcsr04 bindings send a 10 µs trigger, which this sensor ignores.
    /// </summary>
    public sealed class MaxSonarRanger : IRangeSensor
    {
        /// <summary>Trigger length, µs (datasheet: more than 20 µs).</summary>
        public const ushort TriggerMicroseconds = 30;

        private readonly int _triggerPin;
        private readonly int _pulsePin;
        private TransmitterChannel? _trigger;
        private ReceiverChannel? _pulse;

        public MaxSonarRanger(int triggerPin, int pulsePin)
        {
            // Opened at the first read, when the sampler has powered the rail: nothing is touched at boot.
            _triggerPin = triggerPin;
            _pulsePin = pulsePin;
        }

        public bool TryReadPulse(out double pulseSeconds)
        {
            pulseSeconds = double.NaN;
            if (_trigger == null || _pulse == null)
            {
                // 80 MHz APB / 80 = 1 µs per tick. No carrier: these are plain logic levels, not IR.
                _trigger = new TransmitterChannel(new TransmitChannelSettings(_triggerPin)
                {
                    ClockDivider = 80,
                    EnableCarrierWave = false,
                    IdleLevel = false,
                });
                _trigger.AddCommand(new RmtCommand(TriggerMicroseconds, true, 0, false));
                _pulse = new ReceiverChannel(new ReceiverChannelSettings(_pulsePin)
                {
                    ClockDivider = 80,
                    EnableDemodulation = false,
                    EnableFilter = true,
                    FilterThreshold = 100,   // glitches under 100 µs ignored; the shortest real pulse is 300 µs
                    IdleThreshold = 10000,   // 10 ms without an edge ends the reception (the longest pulse is 5 ms)
                    ReceiveTimeout = TimeSpan.FromMilliseconds(400), // the pulse starts ~135 ms after the trigger
                });
            }

            _pulse.Start(true);
            _trigger.Send(false);
            RmtCommand[] items = _pulse.GetAllItems();
            _pulse.Stop();

            // The library returns an empty array (older releases: null) when nothing came before the timeout.
            if (items == null || items.Length == 0 || !items[0].Level0 || items[0].Duration0 == 0)
            {
                return false;
            }

            pulseSeconds = items[0].Duration0 / 1e6;
            return true;
        }
    }
}
