using System.Text.Json;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeSensors.Node.Tests.NanoCompat;

/// <summary>
/// Facts about the real nanoFramework libraries (namespaces, enum values, inheritance, accessors, constructors), each
/// transcribed with its source file and package version into ShimFacts.json, checked against the shims as compiled
/// by Roslyn against nanoFramework's mscorlib. A shim that drifts from the library fails here even when the adapters
/// still compile (an enum value off by one compiles everywhere and selects TLS 1.1 on the device).
/// </summary>
public static class ShimFacts
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNameCaseInsensitive = true };

    public sealed record Fact(string Kind, string Type, string? Member, long? Value, string? Base, string[]? Parameters, string Source);

    public static IReadOnlyList<Fact> Load()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "NanoCompat", "ShimFacts.json");
        return JsonSerializer.Deserialize<List<Fact>>(File.ReadAllText(path), JsonOptions)!;
    }

    /// <summary>Compiles shim sources (file name → text) against nanoFramework's mscorlib; fails on compile errors.</summary>
    public static CSharpCompilation Compile(IReadOnlyDictionary<string, string> sources)
    {
        var options = new CSharpParseOptions(LanguageVersion.Latest);
        var compilation = CSharpCompilation.Create(
            "Shims",
            sources.Select(s => CSharpSyntaxTree.ParseText(s.Value, options, s.Key)),
            [MetadataReference.CreateFromFile(BuildPathsAttribute.Current.NanoMscorlib)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        var errors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("the shims do not compile: " + string.Join("; ", errors));
        }

        return compilation;
    }

    public static Dictionary<string, string> ShimSources() =>
        Directory.GetFiles(BuildPathsAttribute.Current.Shims, "*.cs").ToDictionary(f => Path.GetFileName(f), File.ReadAllText);

    /// <summary>Every fact the compiled shims contradict, as a sentence naming the fact's source.</summary>
    public static List<string> Violations(Compilation compilation, IEnumerable<Fact> facts)
    {
        var problems = new List<string>();
        foreach (Fact f in facts)
        {
            string? problem = Check(compilation, f);
            if (problem != null)
            {
                problems.Add($"{f.Type}{(f.Member is null ? string.Empty : "." + f.Member)}: {problem} (source: {f.Source})");
            }
        }

        return problems;
    }

    private static string? Check(Compilation c, Fact f)
    {
        INamedTypeSymbol? type = c.GetTypeByMetadataName(f.Type);
        if (type == null)
        {
            return "no such type in the shims (wrong namespace or name)";
        }

        switch (f.Kind)
        {
            case "type":
                return null;
            case "enum":
                IFieldSymbol? field = type.GetMembers(f.Member!).OfType<IFieldSymbol>().SingleOrDefault();
                if (field == null || type.TypeKind != TypeKind.Enum)
                {
                    return "enum member missing";
                }

                long actual = Convert.ToInt64(field.ConstantValue, System.Globalization.CultureInfo.InvariantCulture);
                return actual == f.Value ? null : $"value is {actual}, the library's is {f.Value}";
            case "get-only":
                IPropertySymbol? property = FindProperty(type, f.Member!);
                if (property == null)
                {
                    return "property missing";
                }

                return property.SetMethod == null || property.SetMethod.DeclaredAccessibility != Accessibility.Public ? null : "has a public setter; the library's is get-only";
            case "base":
                return type.BaseType?.ToDisplayString() == f.Base ? null : $"derives from {type.BaseType?.ToDisplayString()}, the library's from {f.Base}";
            case "declared-in":
                return type.GetMembers(f.Member!).Any() ? null : "not declared on this type";
            case "sealed":
                return type.IsSealed ? null : "not sealed";
            case "not-static":
                return type.IsStatic ? "declared static; the library's class is not" : null;
            case "constructor":
                return type.InstanceConstructors.Any(m => SameParameters(m, f.Parameters!)) ? null : $"no constructor ({string.Join(", ", f.Parameters!)})";
            case "method":
                return type.GetMembers(f.Member!).OfType<IMethodSymbol>().Any(m => SameParameters(m, f.Parameters!)) ? null : $"no overload ({string.Join(", ", f.Parameters!)})";
            case "underlying":
                return type.EnumUnderlyingType?.ToDisplayString() == f.Base ? null : $"underlying type is {type.EnumUnderlyingType?.ToDisplayString()}, the library's is {f.Base}";
            case "flags":
                bool flags = type.GetAttributes().Any(a => a.AttributeClass?.ToDisplayString() == "System.FlagsAttribute");
                return flags == (f.Value == 1) ? null : flags ? "is [Flags]; the library's is not" : "is not [Flags]; the library's is";
            case "enum-members":
                string[] names = [.. type.GetMembers().OfType<IFieldSymbol>().Where(m => m.HasConstantValue).Select(m => m.Name).Order(StringComparer.Ordinal)];
                string[] expected = [.. f.Parameters!.Order(StringComparer.Ordinal)];
                return names.SequenceEqual(expected) ? null : $"members are {string.Join(", ", names)}; the library's are {string.Join(", ", expected)}";
            case "has-setter":
                IPropertySymbol? settable = FindProperty(type, f.Member!);
                return settable?.SetMethod != null ? null : "has no setter; the library's has one";
            case "optional":
                IMethodSymbol? overload = type.GetMembers(f.Member!).OfType<IMethodSymbol>().FirstOrDefault(m => SameParameters(m, f.Parameters!));
                if (overload == null)
                {
                    return $"no overload ({string.Join(", ", f.Parameters!)})";
                }

                int optional = overload.Parameters.Count(p => p.IsOptional);
                return optional == f.Value ? null : $"{optional} optional parameters; the library's has {f.Value}";
            default:
                return $"unknown fact kind '{f.Kind}'";
        }
    }

    private static IPropertySymbol? FindProperty(INamedTypeSymbol? type, string name)
    {
        for (; type != null; type = type.BaseType)
        {
            if (type.GetMembers(name).OfType<IPropertySymbol>().FirstOrDefault() is { } p)
            {
                return p;
            }
        }

        return null;
    }

    private static bool SameParameters(IMethodSymbol m, string[] parameters) =>
        m.Parameters.Length == parameters.Length
        && m.Parameters.Select(p => p.Type.WithNullableAnnotation(NullableAnnotation.NotAnnotated).ToDisplayString()).SequenceEqual(parameters);
}
