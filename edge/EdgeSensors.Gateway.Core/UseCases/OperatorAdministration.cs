using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>The operator token of a new account, shown once.</summary>
/// <param name="Name">The account.</param>
/// <param name="Role">technician or operator.</param>
/// <param name="Token">Its token: stored only as a hash, never logged.</param>
public sealed record OperatorCreated(string Name, string Role, string Token);

/// <summary>
/// Operator accounts, one home for the rules whoever asks (the HTTP API, the CLI on a stopped gateway's store):
/// the name rule, the names no account may take, the roles an account may have, and the audit entry.
/// </summary>
public sealed class OperatorAdministration
{
    /// <summary>
    /// Names an account may not take: they name the bootstrap account or another caller in the audit log (the IOC's
    /// cloud commands are audited as "iothub-c2d", the CLI on the store as "local:…"), and an account of that name would
    /// make the log lie about who did what.
    /// </summary>
    public static readonly IReadOnlyList<string> ReservedNames = ["admin", "root", "system", "gateway", "iothub-c2d", "ioc", "sms", "local", "soc"];

    private readonly IOperatorAccounts _accounts;
    private readonly IAuditLog _audit;

    public OperatorAdministration(IOperatorAccounts accounts, IAuditLog audit)
    {
        _accounts = accounts;
        _audit = audit;
    }

    /// <summary>Creates an account for <paramref name="name"/> with <paramref name="role"/>, on behalf of <paramref name="caller"/> (audited).</summary>
    public async Task<UseCaseOutcome<OperatorCreated>> AddAsync(string caller, string? name, string? role, CancellationToken ct)
    {
        if (name is not { Length: >= 2 and <= 40 } || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.'))
        {
            return UseCaseOutcome.Fail<OperatorCreated>(UseCaseStatus.Invalid, "name is 2–40 letters, digits, '-', '_' or '.' (e.g. kt-nguyen-van-a)");
        }

        if (ReservedNames.Contains(name.ToLowerInvariant()) || name.StartsWith("local", StringComparison.OrdinalIgnoreCase))
        {
            return UseCaseOutcome.Fail<OperatorCreated>(UseCaseStatus.Invalid, $"\"{name}\" is reserved (it names another caller in the audit log): choose a person's name, e.g. kt-nguyen-van-a");
        }

        if (role is not (OperatorRoles.Technician or OperatorRoles.Operator))
        {
            return UseCaseOutcome.Fail<OperatorCreated>(UseCaseStatus.Invalid, "role is technician or operator");
        }

        string? token = await _accounts.AddAsync(name, role, ct).ConfigureAwait(false);
        if (token == null)
        {
            return UseCaseOutcome.Fail<OperatorCreated>(UseCaseStatus.Conflict, $"an account \"{name}\" exists; revoke it first or choose another name");
        }

        await _audit.RecordAsync(caller, "operator_add", name, role, ct).ConfigureAwait(false);
        return UseCaseOutcome.Ok(new OperatorCreated(name, role, token));
    }
}
