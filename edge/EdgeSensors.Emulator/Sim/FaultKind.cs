namespace EdgeSensors.Emulator.Sim;

/// <summary>Faults the emulator can inject; the CLI names are the kebab-case forms.</summary>
public enum FaultKind
{
    WifiDrop,
    Reboot,
    BrownOut,
    ClockUnsynced,
    ClockJump,
    OpenProbe,
    StuckAdc,
    Flood,
    Garbage,
    Oversize,
    WrongCredentials,
    ForeignTopic,
}
