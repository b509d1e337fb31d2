using System.Reflection;
using System.Text.Json;
using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>
/// The simulated board's executable APIs say what the real libraries say: every fact transcribed from the libraries'
/// sources (tests/EdgeSensors.Node.Tests/NanoCompat/ShimFacts.json, which the type-check shims are held to) holds for
/// the board's types too — so the program that runs in these tests is compiled against the same API as on the chip.
/// </summary>
public sealed class ApiFactsTests
{
    /// <summary>Where the board's runtime puts an mscorlib type behind an alias (ProgramImage.BoardUsings), the fact is checked on it.</summary>
    private static readonly Dictionary<string, Type> Aliased = new()
    {
        ["System.IO.FileStream"] = typeof(Runtime.BoardFileStream),
        ["System.Environment"] = typeof(Runtime.BoardEnvironment),
        ["System.IO.Stream"] = typeof(Stream),
        ["System.IO.FileAccess"] = typeof(FileAccess),
        ["System.IO.SeekOrigin"] = typeof(SeekOrigin),
    };

    private static readonly Dictionary<Type, string> Keywords = new()
    {
        [typeof(int)] = "int", [typeof(bool)] = "bool", [typeof(string)] = "string", [typeof(ushort)] = "ushort", [typeof(byte)] = "byte", [typeof(long)] = "long",
    };

    [Fact]
    public void Every_fact_of_the_real_libraries_holds_for_the_simulated_board()
    {
        string path = Path.Combine(Programs.Root, "tests", "EdgeSensors.Node.Tests", "NanoCompat", "ShimFacts.json");
        using JsonDocument facts = JsonDocument.Parse(File.ReadAllText(path));
        Assembly board = typeof(SimulatedBoard).Assembly;
        var problems = new List<string>();
        int checkedFacts = 0;
        foreach (JsonElement f in facts.RootElement.EnumerateArray())
        {
            string name = f.GetProperty("type").GetString()!;
            Type? type = Aliased.TryGetValue(name, out Type? a) ? a : board.GetType(name);
            if (type == null)
            {
                problems.Add($"{name}: the board has no such type");
                continue;
            }

            string? problem = Check(type, f);
            checkedFacts++;
            if (problem != null)
            {
                problems.Add($"{name}{(f.TryGetProperty("member", out JsonElement m) ? "." + m.GetString() : string.Empty)}: {problem} ({f.GetProperty("source").GetString()})");
            }
        }

        Assert.True(checkedFacts >= 50, $"only {checkedFacts} facts checked");
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private static string? Check(Type type, JsonElement f)
    {
        string? member = f.TryGetProperty("member", out JsonElement m) ? m.GetString() : null;
        string[]? parameters = f.TryGetProperty("parameters", out JsonElement p) ? [.. p.EnumerateArray().Select(x => x.GetString()!)] : null;
        long? value = f.TryGetProperty("value", out JsonElement v) ? v.GetInt64() : null;
        string? @base = f.TryGetProperty("base", out JsonElement b) ? b.GetString() : null;
        const BindingFlags All = BindingFlags.Public | BindingFlags.Static | BindingFlags.Instance;
        switch (f.GetProperty("kind").GetString())
        {
            case "type":
                return null;
            case "enum":
                if (!type.IsEnum || !Enum.IsDefined(type, member!))
                {
                    return "enum member missing";
                }

                long actual = Convert.ToInt64(Enum.Parse(type, member!), System.Globalization.CultureInfo.InvariantCulture);
                return actual == value ? null : $"value is {actual}, the library's is {value}";
            case "get-only":
                PropertyInfo? property = type.GetProperty(member!, All);
                return property == null ? "property missing" : property.SetMethod is { IsPublic: true } ? "has a public setter; the library's is get-only" : null;
            case "has-setter":
                return type.GetProperty(member!, All)?.GetSetMethod(nonPublic: true) != null ? null : "has no setter; the library's has one";
            case "base":
                return type.BaseType?.FullName == @base ? null : $"derives from {type.BaseType?.FullName}, the library's from {@base}";
            case "declared-in":
                return type.GetMember(member!, All | BindingFlags.DeclaredOnly).Length > 0 ? null : "not declared on this type";
            case "sealed":
                return type.IsSealed ? null : "not sealed";
            case "not-static":
                return type.IsAbstract && type.IsSealed ? "declared static; the library's class is not" : null;
            case "constructor":
                return type.GetConstructors().Any(c => Same(c, parameters!)) ? null : $"no constructor ({string.Join(", ", parameters!)})";
            case "method":
                return type.GetMethods(All).Any(x => x.Name == member && Same(x, parameters!)) ? null : $"no overload ({string.Join(", ", parameters!)})";
            case "optional":
                MethodInfo? overload = type.GetMethods(All).FirstOrDefault(x => x.Name == member && Same(x, parameters!));
                return overload == null ? "no such overload" : overload.GetParameters().Count(x => x.IsOptional) == value ? null : "optional parameters differ";
            case "underlying":
                string underlying = Keywords.TryGetValue(Enum.GetUnderlyingType(type), out string? k) ? k : Enum.GetUnderlyingType(type).FullName!;
                return underlying == @base ? null : $"underlying type is {underlying}, the library's is {@base}";
            case "flags":
                return type.IsDefined(typeof(FlagsAttribute), false) == (value == 1) ? null : "[Flags] differs from the library";
            case "enum-members":
                return Enum.GetNames(type).Order(StringComparer.Ordinal).SequenceEqual(parameters!.Order(StringComparer.Ordinal)) ? null : $"members are {string.Join(", ", Enum.GetNames(type))}";
            default:
                return "unknown fact kind";
        }
    }

    private static bool Same(MethodBase m, string[] parameters) =>
        m.GetParameters().Select(x => Keywords.TryGetValue(x.ParameterType, out string? k) ? k : x.ParameterType.FullName).SequenceEqual(parameters);
}
