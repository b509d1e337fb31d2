namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// One node's account: generated = acknowledged + queued + dropped_by_outbox (nothing else can happen to a sample
/// inside a node), so a tester can reconcile with what the IOC received.
/// </summary>
public sealed record NodeReport(string Node, long Generated, long Acknowledged, int Queued, uint DroppedByOutbox, int Boots, IReadOnlyList<string> Faults);
