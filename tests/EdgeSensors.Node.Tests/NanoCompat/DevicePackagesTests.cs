using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;

namespace EdgeSensors.Node.Tests.NanoCompat;

/// <summary>
/// The real device build (EdgeSensors.Device.nfproj + packages.config) cannot be restored here, so its package set is
/// kept consistent by inspection: every package in packages.config is referenced by the nfproj at the same version and
/// nothing else is; versions are exact; and every library a shim transcribes is a package of the real build at the
/// version the shim names.
/// </summary>
public partial class DevicePackagesTests
{
    private static string DeviceProject => Path.GetFullPath(Path.Combine(BuildPathsAttribute.Current.Shims, "..", "..", "EdgeSensors.Device"));

    private static Dictionary<string, string> Packages()
    {
        XDocument doc = XDocument.Load(Path.Combine(DeviceProject, "packages.config"));
        return doc.Root!.Elements("package").ToDictionary(p => (string)p.Attribute("id")!, p => (string)p.Attribute("version")!, StringComparer.Ordinal);
    }

    [Fact]
    public void Packages_are_pinned_to_exact_release_versions_on_the_CoreLibrary_CI_compiles_against()
    {
        Dictionary<string, string> packages = Packages();
        Assert.All(packages, p => Assert.Matches(ExactVersion(), p.Value));
        Assert.Equal(NanoCoreLibraryVersion(), packages["nanoFramework.CoreLibrary"]);
        foreach (string required in new[]
                 {
                     "nanoFramework.M2Mqtt", "nanoFramework.Iot.Device.Bmxx80", "nanoFramework.System.Device.Adc", "nanoFramework.System.Device.I2c",
                     "nanoFramework.System.Device.Gpio", "nanoFramework.System.Device.Wifi", "nanoFramework.Hardware.Esp32", "nanoFramework.System.Net",
                     "nanoFramework.Runtime.Native",
                 })
        {
            Assert.True(packages.ContainsKey(required), $"packages.config lacks {required}, which the issue requires");
        }
    }

    [Fact]
    public void The_nfproj_references_exactly_the_packages_of_packages_config_at_their_versions()
    {
        Dictionary<string, string> packages = Packages();
        string nfproj = File.ReadAllText(Path.Combine(DeviceProject, "EdgeSensors.Device.nfproj"));
        var referenced = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match m in HintPath().Matches(nfproj))
        {
            string folder = m.Groups["folder"].Value;
            KeyValuePair<string, string> match = packages.FirstOrDefault(p => folder == p.Key + "." + p.Value);
            Assert.True(match.Key != null, $"the nfproj references {folder}, which is not a package of packages.config at that version");
            referenced[match.Key!] = match.Value;
        }

        Assert.Equal(packages.Keys.Order(StringComparer.Ordinal), referenced.Keys.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Every_library_a_shim_transcribes_is_in_the_real_build_at_the_version_the_shim_names()
    {
        Dictionary<string, string> packages = Packages();
        foreach (string file in Directory.GetFiles(BuildPathsAttribute.Current.Shims, "*.cs"))
        {
            string text = File.ReadAllText(file);
            Match line = Transcribes().Match(text);
            Assert.True(line.Success, $"{Path.GetFileName(file)} has no '// Transcribes: <package> <version>' line");
            foreach (string entry in line.Groups[1].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                string[] parts = entry.Split(' ');
                Assert.Equal(2, parts.Length);
                Assert.True(packages.TryGetValue(parts[0], out string? version), $"{Path.GetFileName(file)} transcribes {parts[0]}, which packages.config does not have");
                Assert.Equal(version, parts[1]);
            }
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    private sealed record PackageFact(string Id, string Version, string BuiltAgainst, Dictionary<string, string> Dependencies, string Source);

    private sealed record PackageFactFile(List<PackageFact> Packages, List<PackageFact> Superseded);

    private static PackageFactFile Facts() => JsonSerializer.Deserialize<PackageFactFile>(
        File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "NanoCompat", "DevicePackageFacts.json")),
        JsonOptions)!;

    /// <summary>Every dependency a package of the set declares that the set pins below the required version, or lacks.</summary>
    private static List<string> UnmetDependencies(Dictionary<string, string> pinned, IEnumerable<PackageFact> facts)
    {
        var problems = new List<string>();
        foreach (PackageFact fact in facts.Where(f => pinned.TryGetValue(f.Id, out string? v) && v == f.Version))
        {
            foreach ((string id, string minimum) in fact.Dependencies)
            {
                if (!pinned.TryGetValue(id, out string? have))
                {
                    problems.Add($"{fact.Id} {fact.Version} needs {id} >= {minimum}, which packages.config lacks ({fact.Source})");
                }
                else if (Version.Parse(have) < Version.Parse(minimum))
                {
                    problems.Add($"{fact.Id} {fact.Version} needs {id} >= {minimum}, pinned at {have} ({fact.Source})");
                }
            }
        }

        return problems;
    }

    [Fact]
    public void No_package_is_pinned_below_a_version_its_neighbours_require()
    {
        Dictionary<string, string> packages = Packages();
        PackageFactFile facts = Facts();
        foreach (PackageFact fact in facts.Packages)
        {
            Assert.True(packages.TryGetValue(fact.Id, out string? pinned) && pinned == fact.Version, $"DevicePackageFacts.json describes {fact.Id} {fact.Version}, but packages.config pins {pinned ?? "nothing"}: update both together");
        }

        List<string> problems = UnmetDependencies(packages, facts.Packages);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void Every_pinned_package_has_its_declared_dependencies_in_the_facts()
    {
        // A package without a row would escape the dependency check above.
        Dictionary<string, string> packages = Packages();
        PackageFactFile facts = Facts();
        foreach (string id in packages.Keys.Where(id => id != "nanoFramework.CoreLibrary"))
        {
            PackageFact? fact = facts.Packages.SingleOrDefault(f => f.Id == id);
            Assert.True(fact != null, $"DevicePackageFacts.json has no row for {id}: read its nuspec at the pinned release and add one");
            Assert.True(fact!.Dependencies.Count > 0 && fact.Dependencies.ContainsKey("nanoFramework.CoreLibrary"), $"{id}: every nanoFramework package declares CoreLibrary; the row lists {string.Join(", ", fact.Dependencies.Keys)}");
        }
    }

    [Fact]
    public void The_dependency_check_catches_the_superseded_set()
    {
        // The set before issue 17: Hcsr04 1.2.889 with UnitsNet Length 5.74.0.
        Dictionary<string, string> old = Packages();
        old["nanoFramework.Iot.Device.Hcsr04"] = "1.2.889";
        Assert.Contains(UnmetDependencies(old, Facts().Superseded), p => p.Contains("UnitsNet.nanoFramework.Length >= 5.75.0, pinned at 5.74.0", StringComparison.Ordinal));
    }

    [Fact]
    public void Every_package_is_a_build_against_the_CoreLibrary_generation_the_node_runs()
    {
        // The nanoFramework runtime matches referenced assemblies by major.minor: a library built against mscorlib 1.15
        // does not load on CoreLibrary 1.17.
        Version core = Version.Parse(NanoCoreLibraryVersion());
        Dictionary<string, string> packages = Packages();
        PackageFactFile facts = Facts();
        Assert.Contains(facts.Packages, f => f.Id == "nanoFramework.System.Device.Adc");
        foreach (PackageFact fact in facts.Packages)
        {
            Version built = Version.Parse(fact.BuiltAgainst);
            Assert.True(built.Major == core.Major && built.Minor == core.Minor, $"{fact.Id} {fact.Version} was built against mscorlib {fact.BuiltAgainst}; the node runs CoreLibrary {core}");
        }

        PackageFact oldAdc = facts.Superseded.Single(f => f.Id == "nanoFramework.System.Device.Adc");
        Assert.NotEqual(oldAdc.Version, packages["nanoFramework.System.Device.Adc"]);
        Assert.NotEqual(core.Minor, Version.Parse(oldAdc.BuiltAgainst).Minor);
    }

    private static string NanoCoreLibraryVersion()
    {
        string props = File.ReadAllText(Path.Combine(DeviceProject, "..", "..", "Directory.Packages.props"));
        return Regex.Match(props, "Include=\"nanoFramework.CoreLibrary\" Version=\"([^\"]+)\"").Groups[1].Value;
    }

    [GeneratedRegex(@"^\d+\.\d+\.\d+$")]
    private static partial Regex ExactVersion();

    [GeneratedRegex(@"<HintPath>\.\.\\\.\.\\packages\\(?<folder>[^\\]+)\\lib\\[^<]+\.dll</HintPath>")]
    private static partial Regex HintPath();

    [GeneratedRegex(@"^// Transcribes: (.+)$", RegexOptions.Multiline)]
    private static partial Regex Transcribes();
}
