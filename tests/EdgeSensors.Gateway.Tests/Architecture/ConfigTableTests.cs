using System.Globalization;
using System.Reflection;
using EdgeSensors.Gateway.Hosting;

namespace EdgeSensors.Gateway.Tests.Architecture;

/// <summary>
/// The node broker's defaults have one home, <see cref="BrokerOptions"/>; the gateway README's configuration table
/// states them to the technician and must say the same (issue 33 added one, MaxConnectionsPerAddress).
/// </summary>
public sealed class ConfigTableTests
{
    [Fact]
    public void The_gateway_READMEs_broker_defaults_are_the_options_own()
    {
        string[] lines = File.ReadAllLines(Path.Combine(LayeringTests.RepoRoot(), "edge", "EdgeSensors.Gateway", "README.md"));
        var defaults = new BrokerOptions();
        var stated = new List<string>();
        foreach (string line in lines.Where(l => l.StartsWith("| `Broker:", StringComparison.Ordinal)))
        {
            string[] cells = line.Split('|', StringSplitOptions.TrimEntries);
            string[] keys = cells[1].Split(',', StringSplitOptions.TrimEntries).Select(k => k.Trim('`')).ToArray();
            string[] values = cells[2].Split(',', StringSplitOptions.TrimEntries);
            Assert.True(keys.Length == values.Length, $"README row \"{cells[1]}\" names {keys.Length} keys and {values.Length} defaults");
            for (int i = 0; i < keys.Length; i++)
            {
                string name = keys[i]["Broker:".Length..];
                PropertyInfo property = typeof(BrokerOptions).GetProperty(name) ?? throw new Xunit.Sdk.XunitException($"README names Broker:{name}, which BrokerOptions does not have");
                Assert.True(Same(property.GetValue(defaults), values[i]), $"README says Broker:{name} defaults to {values[i]}; BrokerOptions says {property.GetValue(defaults)}");
                stated.Add(name);
            }
        }

        // Every setting a technician can change is in the table (the certificate's two are in the components table above it).
        string[] unstated = typeof(BrokerOptions).GetProperties().Select(p => p.Name)
            .Except(stated).Except(["TlsCertificatePath", "TlsCertificatePassword"]).ToArray();
        Assert.True(unstated.Length == 0, "not in the README's table: " + string.Join(", ", unstated));
    }

    private static bool Same(object? value, string stated) => value switch
    {
        bool b => bool.Parse(stated) == b,
        int n => int.Parse(stated, CultureInfo.InvariantCulture) == n,
        long n when stated.Contains('-', StringComparison.Ordinal) =>
            DateTimeOffset.ParseExact(stated, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal).ToUnixTimeSeconds() == n,
        long n => long.Parse(stated, CultureInfo.InvariantCulture) == n,
        string s => s == stated.Trim('`'),
        _ => false,
    };
}
