namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>A test that needs gammu-smsd: skipped, with the reason, where it is not installed.</summary>
public sealed class GammuFactAttribute : FactAttribute
{
    public GammuFactAttribute()
    {
        if (GammuSmsdServer.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}
