using System;
using System.Device.Adc;
using System.Device.Gpio;
using System.Diagnostics;
using System.Threading;
using EdgeSensors.Device.Adapters;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Device;
using nanoFramework.Hardware.Esp32;

namespace EdgeSensors.Device
{
    /// <summary>
    /// The ESP32 program: pin mux, adapters, the node logic's DeviceApp, and the loop — steady in mains mode, timer
    /// deep sleep in battery mode. A software watchdog reboots the chip if the loop stops making progress.
    /// </summary>
    public static class Program
    {
        private const string Flash = "I:\\";
        private static long _lastProgress;

        public static void Main()
        {
            Configuration.SetPinFunction(PinMap.I2cData, DeviceFunction.I2C1_DATA);
            Configuration.SetPinFunction(PinMap.I2cClock, DeviceFunction.I2C1_CLOCK);
            Configuration.SetPinFunction(36, DeviceFunction.ADC1_CH0);
            Configuration.SetPinFunction(39, DeviceFunction.ADC1_CH3);
            Configuration.SetPinFunction(34, DeviceFunction.ADC1_CH6);
            Configuration.SetPinFunction(35, DeviceFunction.ADC1_CH7);

            var adc = new AdcController();
            var gpio = new GpioController();
            var battery = new AdcInput(adc, PinMap.BatteryChannel);
            var platform = new Esp32Platform(battery);
            var flash = new FlashDocuments(Flash);
            var clock = new DeviceClock();

            // Wi-Fi settings come from node.json; the transport needs them before DeviceApp validates the rest.
            byte[]? raw = flash.Read(DeviceApp.ConfigDocument) ?? flash.Read(DeviceApp.LastGoodDocument);
            NodeConfig? peek = raw == null ? null : ConfigDecoder.DecodeDevice(raw, out _);
            var transport = new M2MqttTransport(peek == null ? string.Empty : peek.WifiSsid, peek == null ? string.Empty : peek.WifiPassword);
            var sampler = new HardwareSampler(
                new GpioSensorPower(gpio, PinMap.SensorPower, 2000),
                new AdcInput(adc, PinMap.EcChannel),
                new AdcInput(adc, PinMap.PressureChannel),
                new AdcInput(adc, PinMap.NtcChannel),
                new Bme280AirSensor(),
                peek != null && peek.LevelSource == LevelSource.Ultrasonic ? new UltrasonicRanger(PinMap.UltrasonicTrigger, PinMap.UltrasonicEcho) : null);

            DeviceApp? app = DeviceApp.Boot(flash, new FlashStorage(Flash + "outbox.bin"), transport, clock, sampler, platform, new Random(), platform.WokeFromDeepSleep, out string error);
            if (app == null)
            {
                Debug.WriteLine("EdgeSensors node cannot start: " + error);
                Thread.Sleep(60000);
                nanoFramework.Runtime.Native.Power.RebootDevice();
                return;
            }

            if (app.BootError.Length > 0)
            {
                Debug.WriteLine(app.BootError);
            }

            _lastProgress = clock.MonotonicMs;
            var watchdog = new Timer(_ =>
            {
                if (clock.MonotonicMs - _lastProgress > 120000)
                {
                    nanoFramework.Runtime.Native.Power.RebootDevice();
                }
            }, null, 30000, 30000);

            while (true)
            {
                long delay = app.Cycle.Step();
                _lastProgress = clock.MonotonicMs;
                if (app.Cycle.DeepSleepRequested)
                {
                    watchdog.Dispose();
                    if (Sleep.EnableWakeupByTimer(TimeSpan.FromTicks(app.Cycle.SleepDurationMs * TimeSpan.TicksPerMillisecond)) != EspNativeError.OK)
                    {
                        // Without a timer wake-up the chip would sleep for ever: stay awake and try again next cycle.
                        app.Cycle.WakeFromSleep();
                        continue;
                    }

                    Sleep.StartDeepSleep();
                }

                if (delay > 0)
                {
                    Thread.Sleep((int)(delay > 1000 ? 1000 : delay));
                }
            }
        }
    }
}
