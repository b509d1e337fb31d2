using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Cycle;

/// <summary>Reads the sensors once: a burst of ADC samples plus the digital sensors.</summary>
public interface ISensorSampler
{
    /// <summary>Takes one measurement with <paramref name="burstSize"/> ADC samples per analog channel.</summary>
    RawFrame Read(int burstSize);
}
