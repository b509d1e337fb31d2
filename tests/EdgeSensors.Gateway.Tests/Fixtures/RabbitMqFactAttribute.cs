namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>A test that needs RabbitMQ: skipped, with the reason, where rabbitmq-server is not installed.</summary>
public sealed class RabbitMqFactAttribute : FactAttribute
{
    public RabbitMqFactAttribute()
    {
        if (RabbitMqBroker.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}

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
