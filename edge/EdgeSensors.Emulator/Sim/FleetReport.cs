namespace EdgeSensors.Emulator.Sim;

/// <summary>The emulator's final report (also printed as JSON with --json).</summary>
public sealed record FleetReport(
    string Scenario,
    int Seed,
    double Speed,
    double SimulatedSeconds,
    double WallSeconds,
    long Generated,
    long Acknowledged,
    long Queued,
    long DroppedByOutbox,
    double GeneratedPerWallSecond,
    double AcknowledgedPerWallSecond,
    IReadOnlyDictionary<string, int> FaultsInjected,
    IReadOnlyList<NodeReport> Nodes);
