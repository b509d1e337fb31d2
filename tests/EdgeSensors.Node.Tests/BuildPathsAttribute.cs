namespace EdgeSensors.Node.Tests;

/// <summary>Paths known at build time: the nano build's output and nanoFramework's mscorlib.</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class BuildPathsAttribute(string nanoAssembly, string nanoMscorlib) : Attribute
{
    public string NanoAssembly { get; } = Path.GetFullPath(nanoAssembly);

    public string NanoMscorlib { get; } = Path.GetFullPath(nanoMscorlib);

    public static BuildPathsAttribute Current =>
        typeof(BuildPathsAttribute).Assembly.GetCustomAttributes(typeof(BuildPathsAttribute), false).Cast<BuildPathsAttribute>().Single();
}
