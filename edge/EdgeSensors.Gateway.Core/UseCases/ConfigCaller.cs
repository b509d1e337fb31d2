namespace EdgeSensors.Gateway.UseCases;

/// <summary>Who asks for a node's config to change.</summary>
public enum ConfigCallerKind
{
    /// <summary>An operator account (API or the CLI on a stopped gateway's store).</summary>
    Operator,

    /// <summary>The IOC, through its cloud-to-device channel: only what <see cref="IocAuthorityOptions"/> allows.</summary>
    Ioc,

    /// <summary>The gateway itself (an automatic decision, such as a sampling interval).</summary>
    Gateway,
}

/// <summary>The caller of <see cref="NodeConfiguration"/>: its kind and the name the audit records.</summary>
public sealed record ConfigCaller(ConfigCallerKind Kind, string Name)
{
    /// <summary>The audit name of the IOC's cloud-to-device commands.</summary>
    public const string IocAccount = "iothub-c2d";

    public static ConfigCaller Ioc { get; } = new(ConfigCallerKind.Ioc, IocAccount);

    /// <summary>The gateway's sampling planner: it may change a node's interval and nothing else.</summary>
    public static ConfigCaller Sampling { get; } = new(ConfigCallerKind.Gateway, "gateway:sampling");

    public static ConfigCaller Operator(string account) => new(ConfigCallerKind.Operator, account);
}
