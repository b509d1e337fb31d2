namespace EdgeSensors.Gateway.Options;

/// <summary>The operator API. Section "Admin".</summary>
public sealed class AdminOptions
{
    public const string Section = "Admin";

    /// <summary>
    /// Operator token. There is no default: when unset, the first start generates one and writes it to
    /// {DataDirectory}/operator.token (readable only by the gateway's user) — it is never logged.
    /// </summary>
    public string? OperatorToken { get; set; }
}
