namespace EdgeSensors.Gateway.Web;

/// <summary>Body of POST /api/alerts/{id}/ack: who acknowledges.</summary>
public sealed record AckRequest(string? By);
