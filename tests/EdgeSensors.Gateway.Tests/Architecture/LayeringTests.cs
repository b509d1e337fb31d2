using System.Reflection;
using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Store;

namespace EdgeSensors.Gateway.Tests.Architecture;

/// <summary>
/// The gateway's shape (issue 12): a core with ports, the SQLite adapter the only place with SQL, the broker, the
/// uplink and the web API as adapters around it. Checked on the compiled assemblies and on the sources.
/// </summary>
public sealed partial class LayeringTests
{
    private static readonly Assembly Core = typeof(AlertEngine).Assembly;
    private static readonly Assembly Storage = typeof(ReadingStore).Assembly;
    private static readonly Assembly Host = typeof(NodeBroker).Assembly;

    private static string[] References(Assembly a) => a.GetReferencedAssemblies().Select(n => n.Name!).ToArray();

    [Fact]
    public void The_core_references_no_adapter_no_SQL_no_MQTT_and_no_web_host()
    {
        Assert.Equal("EdgeSensors.Gateway.Core", Core.GetName().Name);
        string[] refs = References(Core);
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal) || r.StartsWith("SQLitePCL", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, r => r.StartsWith("MQTTnet", StringComparison.Ordinal));
        Assert.DoesNotContain(refs, r => r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.GetName().Name, refs);
        Assert.DoesNotContain(Storage.GetName().Name, refs);
    }

    [Fact]
    public void The_alert_engine_takes_ports_and_events_not_the_broker_or_the_store()
    {
        Type[] parameters = typeof(AlertEngine).GetConstructors().Single().GetParameters().Select(p => p.ParameterType).ToArray();
        Assert.All(parameters, t => Assert.NotEqual(Host, t.Assembly));
        Assert.All(parameters, t => Assert.NotEqual(Storage, t.Assembly));
        Assert.Contains(typeof(INodeStatusFeed), parameters);
        Assert.Contains(typeof(IReadingStore), parameters);
    }

    [Fact]
    public void The_storage_adapter_knows_nothing_of_MQTT_or_the_web_host()
    {
        Assert.Equal("EdgeSensors.Gateway.Storage.Sqlite", Storage.GetName().Name);
        string[] refs = References(Storage);
        Assert.Contains("Microsoft.Data.Sqlite", refs);
        Assert.DoesNotContain(refs, r => r.StartsWith("MQTTnet", StringComparison.Ordinal) || r.StartsWith("Microsoft.AspNetCore", StringComparison.Ordinal));
        Assert.DoesNotContain(Host.GetName().Name, refs);
    }

    [Fact]
    public void The_web_host_does_not_touch_SQLite_itself()
    {
        Assert.DoesNotContain(References(Host), r => r.StartsWith("Microsoft.Data.Sqlite", StringComparison.Ordinal));
    }

    [Fact]
    public void No_SQL_statement_in_any_source_outside_the_storage_adapter()
    {
        string root = RepoRoot();
        var offenders = new List<string>();
        foreach (string file in Directory.EnumerateFiles(Path.Combine(root, "edge"), "*.cs", SearchOption.AllDirectories))
        {
            string rel = Path.GetRelativePath(root, file).Replace('\\', '/');
            if (rel.StartsWith("edge/EdgeSensors.Gateway.Storage.Sqlite/", StringComparison.Ordinal) || rel.Contains("/obj/", StringComparison.Ordinal) || rel.Contains("/bin/", StringComparison.Ordinal))
            {
                continue;
            }

            string text = File.ReadAllText(file);
            if (text.Contains("Microsoft.Data.Sqlite", StringComparison.Ordinal) || Sql().IsMatch(text))
            {
                offenders.Add(rel);
            }
        }

        Assert.Empty(offenders);
        // The scan itself can see SQL: the adapter has plenty.
        Assert.Matches(Sql(), File.ReadAllText(Path.Combine(root, "edge/EdgeSensors.Gateway.Storage.Sqlite/Store/ReadingStore.cs")));
    }

    [Fact]
    public void Every_file_the_gateway_writes_goes_through_the_crash_safe_path()
    {
        // The store is SQLite (its own journal); every other file the gateway writes — certificates, keys, tokens —
        // goes through DurableFile (temporary name, fsync, rename, fsync of the folder). The SMS spool belongs to
        // gammu-smsd, which reads files only once they are moved into its outbox (GammuSmsd).
        string root = RepoRoot();
        var offenders = new List<string>();
        foreach (string project in new[] { "edge/EdgeSensors.Gateway", "edge/EdgeSensors.Gateway.Core" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories))
            {
                string rel = Path.GetRelativePath(root, file).Replace('\\', '/');
                if (rel.Contains("/obj/", StringComparison.Ordinal) || rel.Contains("/bin/", StringComparison.Ordinal) || rel.EndsWith("/DurableFile.cs", StringComparison.Ordinal) || rel.EndsWith("/Sms/GammuSmsd.cs", StringComparison.Ordinal))
                {
                    continue;
                }

                string text = File.ReadAllText(file);
                foreach (string call in new[] { "File.WriteAll", "File.AppendAll", "File.Create(", "new FileStream(", "File.OpenWrite(", "File.Move(", "File.Copy(" })
                {
                    if (text.Contains(call, StringComparison.Ordinal))
                    {
                        offenders.Add($"{rel}: {call}");
                    }
                }
            }
        }

        Assert.True(offenders.Count == 0, "write through DurableFile instead:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_CLI_project_references_the_core_and_the_storage_adapter_not_the_web_host()
    {
        string csproj = File.ReadAllText(Path.Combine(RepoRoot(), "edge/EdgeSensors.Cli/EdgeSensors.Cli.csproj"));
        string[] refs = ProjectRef().Matches(csproj).Select(m => Path.GetFileName(m.Groups[1].Value)).ToArray();
        Assert.Contains("EdgeSensors.Gateway.Core.csproj", refs);
        Assert.Contains("EdgeSensors.Gateway.Storage.Sqlite.csproj", refs);
        Assert.DoesNotContain("EdgeSensors.Gateway.csproj", refs);
    }

    internal static string RepoRoot()
    {
        string? dir = AppContext.BaseDirectory;
        while (dir != null && !File.Exists(Path.Combine(dir, "EdgeSensors.sln")))
        {
            dir = Path.GetDirectoryName(dir);
        }

        return dir ?? throw new DirectoryNotFoundException("EdgeSensors.sln not found above " + AppContext.BaseDirectory);
    }

    [GeneratedRegex(@"\b(SELECT\s+\S|INSERT\s+(OR\s+\w+\s+)?INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(TABLE|INDEX)|PRAGMA\s+\w)")]
    private static partial Regex Sql();

    [GeneratedRegex(@"<ProjectReference\s+Include=""([^""]+)""")]
    private static partial Regex ProjectRef();
}
