namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>Where the ingest's own build output is (it runs from there, as processes the tests can kill).</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class IngestBuildAttribute(string dll) : Attribute
{
    public string Dll { get; } = Path.GetFullPath(dll);

    public static string Path_ => typeof(IngestBuildAttribute).Assembly.GetCustomAttributes(typeof(IngestBuildAttribute), false).Cast<IngestBuildAttribute>().Single().Dll;
}
