namespace EdgeSensors.Cli.Commands;

/// <summary>Exit codes that mean something to a script.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Bad arguments or input (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 1;

    /// <summary>The node (or alert) does not exist.</summary>
    public const int NotFound = 2;

    /// <summary>It already exists.</summary>
    public const int Conflict = 3;

    /// <summary>The gateway could not be reached, or refused the operator token.</summary>
    public const int GatewayUnavailable = 4;

    /// <summary>A tool the command needs (nanoff) is not installed.</summary>
    public const int ToolMissing = 5;

    /// <summary>A check failed (doctor), or a device refused.</summary>
    public const int CheckFailed = 6;
}
