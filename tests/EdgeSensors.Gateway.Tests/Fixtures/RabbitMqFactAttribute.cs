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
