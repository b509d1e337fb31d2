namespace EdgeSensors.Gateway.Store;

/// <summary>What a durable commit did with a batch: new readings stored, duplicates (same node, boot, seq) ignored.</summary>
public readonly record struct CommitResult(int Stored, int Duplicates);
