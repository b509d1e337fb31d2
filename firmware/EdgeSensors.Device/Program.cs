using System;
using System.Device.Adc;
using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using EdgeSensors.Device.Adapters;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Device;
using nanoFramework.Hardware.Esp32;
using nanoFramework.Runtime.Native;

namespace EdgeSensors.Device
{
    /// <summary>
    /// The ESP32 program: pin mux, adapters, the node logic's DeviceApp, and the loop — steady in mains mode, timer
    /// deep sleep in battery mode. A software watchdog reboots the chip if the loop stops making progress; every
    /// deliberate restart or sleep is first written to the run record, so the next start reports why it happened.
    /// </summary>
    public static class Program
    {
        private const string Flash = "I:\\";

        /// <summary>The loop must make progress at least this often, or the software watchdog restarts the chip.</summary>
        private const long WatchdogMs = 120000;
        private static long _lastProgress;

        public static void Main()
        {
            Configuration.SetPinFunction(PinMap.I2cData, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(PinMap.I2cClock, DeviceFunction.I2C1_CLOCK);
            Configuration.SetPinFunction(34, DeviceFunction.ADC1_CH6);

            var flash = new FlashDocuments(Flash);
            var clock = new DeviceClock();
            RunJournal journal = RunJournal.Open(flash, Esp32Platform.WokeByTimer);
            DeviceApp? app;
            string error;
            try
            {
                app = Compose(flash, clock, journal, out error);
            }
            catch (Exception e)
            {
                // Nothing here may leave the node dead for the season: a part that cannot be opened is a reported
                // fault at the next start, and the chip tries again in a minute.
                app = null;
                error = "composition failed: " + e.Message;
            }

            if (app == null)
            {
                Debug.WriteLine("EdgeSensors node cannot start: " + error);
                Thread.Sleep(60000);
                journal.MarkReboot("software");
                Power.RebootDevice();
                return;
            }

            if (app.BootError.Length > 0)
            {
                Debug.WriteLine(app.BootError);
            }

            _lastProgress = clock.MonotonicMs;
            var watchdog = new Timer(_ =>
            {
                if (clock.MonotonicMs - _lastProgress > WatchdogMs)
                {
                    journal.MarkReboot("watchdog");
                    Power.RebootDevice();
                }
            }, null, 30000, 30000);

            while (true)
            {
                try
                {
                    long delay = app.Cycle.Step();
                    _lastProgress = clock.MonotonicMs;
                    if (app.Cycle.DeepSleepRequested)
                    {
                        if (Sleep.EnableWakeupByTimer(TimeSpan.FromTicks(app.Cycle.SleepDurationMs * TimeSpan.TicksPerMillisecond)) != EspNativeError.OK)
                        {
                            // Without a timer wake-up the chip would sleep for ever: stay awake and try again next cycle.
                            app.Cycle.WakeFromSleep();
                            continue;
                        }

                        watchdog.Dispose();
                        journal.MarkSleeping();
                        Sleep.StartDeepSleep();
                    }

                    if (delay > 0)
                    {
                        Thread.Sleep((int)(delay > 1000 ? 1000 : delay));
                    }
                }
                catch (Exception e)
                {
                    // A bug must not leave the node silent for the season: record it, restart, and the next status
                    // says reset "panic". The outbox and the boot counter survive the restart.
                    Debug.WriteLine("EdgeSensors node panic: " + e.Message);
                    journal.MarkReboot("panic");
                    Power.RebootDevice();
                }
            }
        }

        /// <summary>The ranger fitted for <paramref name="source"/>, each timed by its own part's rule; null for none.</summary>
        private static IRangeSensor? Ranger(LevelSource source) => source switch
        {
            LevelSource.Ultrasonic => new UltrasonicRanger(PinMap.UltrasonicTrigger, PinMap.UltrasonicEcho),
            LevelSource.MaxSonar => new MaxSonarRanger(PinMap.UltrasonicTrigger, PinMap.UltrasonicEcho),
            _ => null,
        };

        /// <summary>
        /// Builds the adapters and the node logic. Order matters: the sensor rail is switched off first (the gate pin
        /// is an input after reset, so the rail is already off), and no adapter touches a device on that rail here —
        /// the BME280, the ADS1115s and the ranger are opened at the first measurement, with the rail up.
        /// </summary>
        private static DeviceApp? Compose(FlashDocuments flash, DeviceClock clock, RunJournal journal, out string error)
        {
            // Wi-Fi settings come from node.json; the transport needs them before DeviceApp validates the rest.
            byte[]? raw = flash.Read(DeviceApp.ConfigDocument) ?? flash.Read(DeviceApp.LastGoodDocument);
            NodeConfig? peek = raw == null ? null : ConfigDecoder.DecodeDevice(raw, out _);
            var transport = new M2MqttTransport(peek == null ? string.Empty : peek.WifiSsid, peek == null ? string.Empty : peek.WifiPassword, journal.RssiDue, clock);
            var platform = new Esp32Platform(new AdcInput(new AdcController(), PinMap.BatteryChannel), transport, peek == null ? 1.0 : peek.BatteryGain);
            var isolated = new Ads1115Converter(PinMap.IsolatedAdcAddress);
            var front = new Ads1115Converter(PinMap.AdcAddress);
            var sampler = new HardwareSampler(
                new GpioSensorPower(new GpioController(), PinMap.SensorPower, 2000),
                new AutoRangingInput(isolated, PinMap.EcInput, PinMap.WidestRange, PinMap.AdcSupplyVolts),
                new AutoRangingInput(front, PinMap.PressureInput, PinMap.WidestRange, PinMap.AdcSupplyVolts),
                new AutoRangingInput(front, PinMap.SupplyInput, PinMap.WidestRange, PinMap.AdcSupplyVolts),
                new AutoRangingInput(front, PinMap.NtcInput, PinMap.WidestRange, PinMap.AdcSupplyVolts),
                new Bme280AirSensor(),
                Ranger(peek == null ? LevelSource.None : peek.LevelSource));

            sampler.NtcRail = new AutoRangingInput(front, PinMap.NtcRailInput, PinMap.WidestRange, PinMap.AdcSupplyVolts);
            return DeviceApp.Boot(flash, new FlashStorage(Flash + "outbox.bin"), transport, clock, sampler, platform, new Random(), journal, out error);
        }
    }
}
