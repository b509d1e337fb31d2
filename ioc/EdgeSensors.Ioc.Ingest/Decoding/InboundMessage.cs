namespace EdgeSensors.Ioc.Ingest.Decoding;

/// <summary>
/// One message as a source received it: its topic (MQTT form, '/' separated), its body, and how to acknowledge it to
/// the broker — called only after the database committed what it carried.
/// </summary>
public sealed record InboundMessage(string Topic, byte[] Body, Func<CancellationToken, Task> AcknowledgeAsync);
