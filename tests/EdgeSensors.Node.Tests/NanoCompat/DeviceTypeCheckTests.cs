using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace EdgeSensors.Node.Tests.NanoCompat;

/// <summary>
/// The ESP32 program (firmware/EdgeSensors.Device) type-checks against nanoFramework's mscorlib and compile-only API
/// shims; the shims name what they transcribe and hold no behaviour.
/// </summary>
public class DeviceTypeCheckTests
{
    private static string Shims => BuildPathsAttribute.Current.Shims;

    [Fact]
    public void The_device_program_builds_against_mscorlib_and_the_shims_without_device_unfit_constructs()
    {
        string dll = BuildPathsAttribute.Current.DeviceTypeCheck;
        Assert.True(File.Exists(dll), $"the compile-only device build is missing at {dll}");
        Assert.Equal(["mscorlib"], NanoMetadataCheck.References(dll));
        IReadOnlyList<string> problems = NanoMetadataCheck.Inspect(dll);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    public static TheoryData<string> ShimFiles()
    {
        var data = new TheoryData<string>();
        foreach (string f in Directory.GetFiles(BuildPathsAttribute.Current.Shims, "*.cs"))
        {
            data.Add(Path.GetFileName(f));
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(ShimFiles))]
    public void Every_shim_names_its_library_and_version_and_holds_no_logic(string file)
    {
        string text = File.ReadAllText(Path.Combine(Shims, file));
        Assert.Matches(@"^// Compile-only shim of [\w.]+ \d+\.\d+\.\d+ \(", text);
        Assert.Contains("package ", string.Join("\n", text.Split('\n').Take(3)), StringComparison.Ordinal);
        Assert.Contains("never deployed", text, StringComparison.Ordinal);

        SyntaxNode root = CSharpSyntaxTree.ParseText(text).GetRoot();
        var offenders = new List<string>();
        foreach (SyntaxNode member in root.DescendantNodes().Where(n => n is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or PropertyDeclarationSyntax))
        {
            if (member is PropertyDeclarationSyntax { ExpressionBody: { } propertyExpression } && propertyExpression.Expression is not ThrowExpressionSyntax)
            {
                offenders.Add(member.ToString());
            }

            (BlockSyntax? body, ArrowExpressionClauseSyntax? arrow) = member switch
            {
                BaseMethodDeclarationSyntax m => (m.Body, m.ExpressionBody),
                AccessorDeclarationSyntax a => (a.Body, a.ExpressionBody),
                _ => (null, null),
            };
            if (arrow != null && arrow.Expression is not ThrowExpressionSyntax)
            {
                offenders.Add(member.ToString());
            }

            if (body != null && !(body.Statements.Count == 0 || (body.Statements.Count == 1 && body.Statements[0] is ThrowStatementSyntax)))
            {
                offenders.Add(member.ToString());
            }
        }

        // Fields, other than constants, would be state.
        offenders.AddRange(root.DescendantNodes().OfType<FieldDeclarationSyntax>().Where(f => !f.Modifiers.Any(SyntaxKind.ConstKeyword)).Select(f => f.ToString()));
        Assert.True(offenders.Count == 0, "shim members with behaviour:\n" + string.Join("\n", offenders));
    }

    [Fact]
    public void The_shim_checker_would_catch_a_shim_with_logic()
    {
        SyntaxNode root = CSharpSyntaxTree.ParseText("class C { int Read() { return 42; } }").GetRoot();
        var method = root.DescendantNodes().OfType<MethodDeclarationSyntax>().Single();
        Assert.False(method.Body!.Statements.Count == 0 || method.Body.Statements[0] is ThrowStatementSyntax);
    }
}
