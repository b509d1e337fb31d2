namespace EdgeSensors.Emulator.Sim;

/// <summary>A fault planned for a node at a simulated time, lasting a while where that means something.</summary>
public sealed record ScheduledFault(long AtMs, int NodeIndex, FaultKind Kind, long DurationMs);
