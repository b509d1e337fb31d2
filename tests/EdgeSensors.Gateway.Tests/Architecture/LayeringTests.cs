using System.Reflection;
using System.Text.RegularExpressions;
using EdgeSensors.Gateway.Alerts;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Storage.Sqlite;

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
        Assert.Contains(typeof(IReadingFeed), parameters);
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
                if (rel.Contains("/obj/", StringComparison.Ordinal) || rel.Contains("/bin/", StringComparison.Ordinal) || rel.EndsWith("/DurableFile.cs", StringComparison.Ordinal) || rel.EndsWith("/Sms/Gammu/GammuSmsd.cs", StringComparison.Ordinal))
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

    [Fact]
    public void No_namespace_spans_two_of_the_gateway_s_assemblies()
    {
        // Issue 29: six namespaces (Store, Options, Security, Sms, Uplink, Hosting) spanned the core and an adapter, so a
        // using said nothing of the layer. Each assembly's namespaces are its own now.
        var owners = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (Assembly a in new[] { Core, Storage, Host })
        {
            foreach (Type t in a.GetTypes().Where(t => t.Namespace != null && !t.Name.StartsWith('<')))
            {
                if (!owners.TryGetValue(t.Namespace!, out HashSet<string>? set))
                {
                    owners[t.Namespace!] = set = new HashSet<string>(StringComparer.Ordinal);
                }

                set.Add(a.GetName().Name!);
            }
        }

        string[] spanning = owners.Where(kv => kv.Value.Count > 1).Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value)}").ToArray();
        Assert.True(spanning.Length == 0, string.Join("\n", spanning));
    }

    [Fact]
    public void No_host_handler_takes_a_storage_adapter_type()
    {
        // Endpoints and the host's services see the core's ports only; the SQLite adapter is wired in one place (Hosting).
        var offenders = new List<string>();
        foreach (Type t in Host.GetTypes().Where(t => t.Namespace is { } ns && !ns.EndsWith(".Hosting", StringComparison.Ordinal)))
        {
            foreach (MethodBase m in t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
            {
                foreach (ParameterInfo p in m.GetParameters().Where(p => p.ParameterType.Assembly == Storage))
                {
                    offenders.Add($"{t.FullName}.{m.Name}({p.ParameterType.Name} {p.Name})");
                }
            }
        }

        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void Endpoints_the_CLI_and_the_SMS_handler_change_nodes_accounts_and_subscriptions_only_through_the_core_s_use_cases()
    {
        // Validation, authority and audit live once, in the core (UseCases); the entry points translate.
        string root = RepoRoot();
        string[] entryPoints =
        [
            "edge/EdgeSensors.Gateway/Admin/AdminEndpoints.cs", "edge/EdgeSensors.Gateway/Admin/SmsEndpoints.cs", "edge/EdgeSensors.Gateway/Admin/CloudCommandHandler.cs",
            "edge/EdgeSensors.Gateway/Sms/Gammu/SmsService.cs", "edge/EdgeSensors.Cli/Commands/NodeAdmin.cs",
        ];
        var offenders = new List<string>();
        foreach (string rel in entryPoints)
        {
            string text = File.ReadAllText(Path.Combine(root, rel));
            foreach (Match m in PortMutation().Matches(text))
            {
                offenders.Add($"{rel}: {m.Value}");
            }
        }

        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
        Assert.Matches(PortMutation(), "await registry.AddAsync(id, lat, lon, place, notes, ct)"); // the scan sees a direct call
    }

    [Fact]
    public void Every_consumer_takes_the_reading_store_s_role_it_uses_not_the_whole_store()
    {
        // Issue 29: IReadingStore had 15 members and no consumer used more than 7. Its roles are ports of their own:
        // the feed of committed readings, the writer, the uplink's backlog, the queries.
        var offenders = new List<string>();
        foreach (Type t in Core.GetTypes().Concat(Host.GetTypes()))
        {
            foreach (MethodBase m in t.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(t.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance)))
            {
                if (m.GetParameters().Any(p => p.ParameterType == typeof(IReadingStore)))
                {
                    offenders.Add($"{t.FullName}.{m.Name}");
                }
            }
        }

        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
    }

    [Fact]
    public void The_gateway_s_links_back_off_through_the_one_reconnect_backoff()
    {
        // Issue 29: backoff was written five times. The gateway's loops use ReconnectBackoff (Polly's jitter); no
        // hand-made doubling is left in the gateway's sources. (The IOC's ingest has its own, with issue 32.)
        string root = RepoRoot();
        var offenders = new List<string>();
        foreach (string project in new[] { "edge/EdgeSensors.Gateway", "edge/EdgeSensors.Gateway.Core" })
        {
            foreach (string file in Directory.EnumerateFiles(Path.Combine(root, project), "*.cs", SearchOption.AllDirectories).Where(f => !f.Contains("/obj/", StringComparison.Ordinal) && !f.Contains("/bin/", StringComparison.Ordinal)))
            {
                string text = File.ReadAllText(file);
                if (HandBackoff().IsMatch(text))
                {
                    offenders.Add(Path.GetRelativePath(root, file));
                }
            }
        }

        Assert.True(offenders.Count == 0, string.Join("\n", offenders));
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

    [GeneratedRegex(@"\b_?(registry|accounts|sms)!?\.(AddAsync|RemoveAsync|RotateSecretAsync|SetConfigAsync|SubscribeAsync|CancelAsync)\(|\bPublishConfigAsync\(")]
    private static partial Regex PortMutation();

    [GeneratedRegex(@"(Ms|Delay|Seconds)\w*\s*<<\s*Math\.Min|backoff\.TotalSeconds\s*\*\s*2")]
    private static partial Regex HandBackoff();
}
