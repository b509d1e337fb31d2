// Executable nanoFramework.Hardware.Esp32 1.6.34 on the simulated board: the pin mux (Configuration.cs,
// DeviceTypePins.cs values), deep sleep (Sleep.cs: the timer wake-up, StartDeepSleep ends the program, the wake-up
// cause as ESP-IDF reports it: ESP_SLEEP_WAKEUP_UNDEFINED after any reset that was not a deep-sleep wake-up).
using System;
using EdgeSensors.Device.Simulator.Board;

namespace nanoFramework.Hardware.Esp32
{
    public enum DeviceFunction
    {
        // DeviceTypePins.cs: DeviceType (I2C = 2, ADC = 5) × 0x10000 + device index × 0x100 + function.
        I2C1_DATA = 0x20100,
        I2C1_CLOCK = 0x20101,
        I2C2_DATA = 0x20200,
        I2C2_CLOCK = 0x20201,
        ADC1_CH0 = 0x50100,
        ADC1_CH3 = 0x50103,
        ADC1_CH6 = 0x50106,
        ADC1_CH7 = 0x50107,
    }

    public enum EspNativeError : int
    {
        OK = 0,
        FAIL = -1,
        NO_MEM = 0x101,
        INVALID_ARG = 0x102,
        INVALID_STATE = 0x103,
        INVALID_SIZE = 0x104,
        NOT_FOUND = 0x105,
        NOT_SUPPORTED = 0x106,
        TIMEOUT = 0x107,
        INVALID_RESPONSE = 0x108,
        INVALID_CRC = 0x109,
        INVALID_VERSION = 0x10A,
        INVALID_MAC = 0x10B,
        WIFI_BASE = 0x3000,
    }

    public class Configuration
    {
        public static void SetPinFunction(int pin, DeviceFunction value)
        {
            BoardRun run = BoardRun.Live;
            run.PinFunctions[pin] = (int)value;
        }

        public static int GetFunctionPin(DeviceFunction function)
        {
            BoardRun run = BoardRun.Live;
            foreach (var pair in run.PinFunctions)
            {
                if (pair.Value == (int)function)
                {
                    return pair.Key;
                }
            }

            return -1;
        }
    }

    public class Sleep
    {
        public enum WakeupCause
        {
            Undefined = 0,
            Ext0 = 2,
            Ext1,
            Timer,
            TouchPad,
            Ulp,
            Gpio,
            Uart,
        }

        public static EspNativeError EnableWakeupByTimer(TimeSpan time)
        {
            BoardRun run = BoardRun.Live;
            if (time < TimeSpan.Zero)
            {
                return EspNativeError.INVALID_ARG;
            }

            run.WakeupTimerMs = (long)time.TotalMilliseconds;
            return EspNativeError.OK;
        }

        public static void StartDeepSleep()
        {
            BoardRun run = BoardRun.Live;
            run.Board.Stop(run, HaltKind.DeepSleep, run.WakeupTimerMs >= 0 ? $"deep sleep for {run.WakeupTimerMs} ms" : "deep sleep with no wake-up source", run.WakeupTimerMs);
        }

        public static WakeupCause GetWakeupCause() => BoardRun.Live.Board.WakeCause;
    }
}
