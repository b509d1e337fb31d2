using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Cycle;

/// <summary>Called when the gateway acknowledged the first <paramref name="count"/> samples of <paramref name="batch"/> (a delegate type of our own: no generic Action on the device).</summary>
public delegate void SamplesAcknowledgedHandler(Sample[] batch, int count);
