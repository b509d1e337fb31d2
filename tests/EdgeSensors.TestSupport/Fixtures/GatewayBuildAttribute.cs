namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>Where the gateway's own build output is (it runs from there, as a separate process the tests can kill).</summary>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class GatewayBuildAttribute(string gatewayDll) : Attribute
{
    public string GatewayDll { get; } = Path.GetFullPath(gatewayDll);

    public static string Dll => typeof(GatewayBuildAttribute).Assembly.GetCustomAttributes(typeof(GatewayBuildAttribute), false).Cast<GatewayBuildAttribute>().Single().GatewayDll;
}
