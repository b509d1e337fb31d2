using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeSensors.Node.Tests.NanoCompat;

public class NanoBuildTests
{
    private static string NanoAssembly => BuildPathsAttribute.Current.NanoAssembly;

    private static string Mscorlib => BuildPathsAttribute.Current.NanoMscorlib;

    [Fact]
    public void Nano_build_references_only_nanoFramework_mscorlib()
    {
        Assert.True(File.Exists(NanoAssembly), $"The nano build is missing at {NanoAssembly}; build firmware/EdgeSensors.Node.Nano.");
        Assert.Equal(["mscorlib"], NanoMetadataCheck.References(NanoAssembly));
    }

    [Fact]
    public void Nano_build_of_the_node_logic_has_no_generics_default_interface_methods_or_pointers()
    {
        IReadOnlyList<string> problems = NanoMetadataCheck.Inspect(NanoAssembly);
        Assert.True(problems.Count == 0, "Device-unfit constructs:\n" + string.Join("\n", problems));
    }

    [Theory]
    [InlineData("generic method", "public static class C { public static T Id<T>(T x) => x; }", "generic method definition")]
    [InlineData("generic class", "public class Box<T> { public T? Value; }", "generic type definition")]
    [InlineData("generic instantiation", "public delegate R F<R>(); public static class C { public static object M() => new F<int>(() => 1); }", "generic instantiation")]
    [InlineData("default interface method", "public interface I { int M() { return 1; } }", "default interface method")]
    [InlineData("pointer", "public static unsafe class C { public static int* P; }", "pointer type")]
    public void Metadata_check_rejects_a_planted_construct(string what, string source, string expected)
    {
        string path = CompileAgainstNanoMscorlib(source);
        IReadOnlyList<string> problems = NanoMetadataCheck.Inspect(path);
        Assert.True(problems.Any(p => p.Contains(expected, StringComparison.Ordinal)), $"{what}: expected '{expected}' among: {string.Join("; ", problems)}");
    }

    [Fact]
    public void Metadata_check_accepts_plain_nano_code()
    {
        string path = CompileAgainstNanoMscorlib("public delegate int D(int x); public static class C { public static int M(int[] a) { D d = x => x + 1; return d(a.Length); } }");
        Assert.Empty(NanoMetadataCheck.Inspect(path));
    }

    private static string CompileAgainstNanoMscorlib(string source)
    {
        var compilation = CSharpCompilation.Create(
            "Throwaway" + Guid.NewGuid().ToString("N"),
            [CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest))],
            [MetadataReference.CreateFromFile(Mscorlib)],
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, allowUnsafe: true, nullableContextOptions: NullableContextOptions.Enable));
        string path = Path.Combine(Path.GetTempPath(), compilation.AssemblyName + ".dll");
        var result = compilation.Emit(path);
        Assert.True(result.Success, string.Join("\n", result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return path;
    }
}
