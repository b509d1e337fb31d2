namespace EdgeSensors.Device.Simulator.Board;

/// <summary>Why a program run ended.</summary>
public enum HaltKind
{
    /// <summary>Still running.</summary>
    None,

    /// <summary><c>Sleep.StartDeepSleep()</c>: RAM lost, the RTC keeps time, the timer wakes the chip.</summary>
    DeepSleep,

    /// <summary><c>Power.RebootDevice()</c>: a software reset; RAM lost, the RTC keeps time.</summary>
    Reboot,

    /// <summary>The battery was disconnected or browned out: RAM, RTC and its time lost; flash kept as far as it was written.</summary>
    PowerLoss,

    /// <summary>Main returned or threw: nanoFramework then leaves the chip idle until someone resets it.</summary>
    ProgramEnded,
}
