// Executable nanoFramework.Hardware.Esp32 1.6.34 on the simulated board: the pin mux (Configuration.cs,
// DeviceTypePins.cs values), deep sleep (Sleep.cs: the timer wake-up, StartDeepSleep ends the program, the wake-up
// cause as ESP-IDF reports it: ESP_SLEEP_WAKEUP_UNDEFINED after any reset that was not a deep-sleep wake-up).
using System;
using EdgeSensors.Device.Simulator.Board;

namespace nanoFramework.Hardware.Esp32
{
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

    public partial class Sleep
    {
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
