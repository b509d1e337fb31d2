namespace EdgeSensors.Gateway.UseCases;

/// <summary>How a use case ended, for every entry point to translate (HTTP status, CLI exit code, SMS reply).</summary>
public enum UseCaseStatus
{
    Ok,
    Invalid,
    Conflict,
    NotFound,
    Refused,
}

/// <summary>A use case's typed outcome: its status, the reason when it did not succeed, and its value when it did.</summary>
/// <param name="Status">How it ended.</param>
/// <param name="Error">Why it did not succeed, in words an operator can act on; null when it did.</param>
/// <param name="Value">The result when it succeeded.</param>
public sealed record UseCaseOutcome<T>(UseCaseStatus Status, string? Error, T? Value);

/// <summary>Makes outcomes.</summary>
public static class UseCaseOutcome
{
    public static UseCaseOutcome<T> Ok<T>(T value) => new(UseCaseStatus.Ok, null, value);

    public static UseCaseOutcome<T> Fail<T>(UseCaseStatus status, string error) => new(status, error, default);
}
