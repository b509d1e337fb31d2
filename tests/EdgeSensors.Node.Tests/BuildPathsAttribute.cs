namespace EdgeSensors.Node.Tests;

/// <summary>Paths known at build time: the nano build's output and nanoFramework's mscorlib.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildPathsAttribute(string nanoAssembly, string nanoMscorlib, string deviceTypeCheck, string shims) : Attribute
{
    public string NanoAssembly { get; } = Path.GetFullPath(nanoAssembly);

    public string NanoMscorlib { get; } = Path.GetFullPath(nanoMscorlib);

    public string DeviceTypeCheck { get; } = Path.GetFullPath(deviceTypeCheck);

    public string Shims { get; } = Path.GetFullPath(shims);

    public static BuildPathsAttribute Current =>
        typeof(BuildPathsAttribute).Assembly.GetCustomAttributes(typeof(BuildPathsAttribute), false).Cast<BuildPathsAttribute>().Single();
}
