namespace EdgeSensors.Node.Samples;

/// <summary>A processed reading with the faults found while making it ("field:fault").</summary>
public sealed class ProcessedSample
{
    /// <summary>Creates a result.</summary>
    public ProcessedSample(Reading reading, string[] faults)
    {
        Reading = reading;
        Faults = faults;
    }

    /// <summary>The reading (absent fields NaN).</summary>
    public Reading Reading { get; }

    /// <summary>Faults, e.g. "ec_ms_cm:open_probe".</summary>
    public string[] Faults { get; }
}
