using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Ioc.Ingest.Tests.Fixtures;

/// <summary>A test that needs PostgreSQL: skipped, with the reason, where the Debian package is not installed.</summary>
public sealed class PostgresFactAttribute : FactAttribute
{
    public PostgresFactAttribute()
    {
        if (PostgresServer.Missing is { } reason)
        {
            Skip = reason;
        }
    }
}

/// <summary>A test that needs PostgreSQL and RabbitMQ: skipped, with the reason, where either is not installed.</summary>
public sealed class PostgresAndRabbitMqFactAttribute : FactAttribute
{
    public PostgresAndRabbitMqFactAttribute()
    {
        if ((PostgresServer.Missing ?? RabbitMqBroker.Missing) is { } reason)
        {
            Skip = reason;
        }
    }
}
