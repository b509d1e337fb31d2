namespace EdgeSensors.Cli.Commands;

/// <summary>Exit codes that mean something to a script.</summary>
public static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Bad arguments or input (System.CommandLine's own code for parse errors).</summary>
    public const int Usage = 1;
}
