namespace EdgeSensors.Gateway.Gpio;

/// <summary>Log event ids of the signals (1400–1499).</summary>
internal static class GpioEvents
{
    public static readonly EventId Started = new(1400, nameof(Started));
    public static readonly EventId EnclosureMissing = new(1401, nameof(EnclosureMissing));

    public static readonly EventId Mains = new(1402, nameof(Mains));
}
