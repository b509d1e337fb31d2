using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace EdgeSensors.Device.Simulator.Board;

/// <summary>
/// The device program built for the simulated board: the node logic (firmware/EdgeSensors.Node, all but Desktop/) and
/// the ESP32 program (firmware/EdgeSensors.Device) compiled from their sources, unchanged, against this assembly's
/// executable nanoFramework APIs. Where desktop .NET has a type of the same name as nanoFramework's mscorlib
/// (DateTime, Thread, Timer, Environment, FileStream, File, CancellationTokenSource, X509Certificate, Debug), a global
/// alias points the program at the board's version — the one place where the simulated build differs from the chip's,
/// and it changes no line of the program. A test may plant a fault by rewriting a source file before compiling.
/// </summary>
public sealed class ProgramImage
{
    /// <summary>The aliases that put the program's mscorlib calls on the board (see the class summary).</summary>
    public const string BoardUsings = """
        global using DateTime = EdgeSensors.Device.Simulator.Runtime.BoardDateTime;
        global using Thread = EdgeSensors.Device.Simulator.Runtime.BoardThread;
        global using Timer = EdgeSensors.Device.Simulator.Runtime.BoardTimer;
        global using Environment = EdgeSensors.Device.Simulator.Runtime.BoardEnvironment;
        global using FileStream = EdgeSensors.Device.Simulator.Runtime.BoardFileStream;
        global using File = EdgeSensors.Device.Simulator.Runtime.BoardFile;
        global using CancellationTokenSource = EdgeSensors.Device.Simulator.Runtime.BoardCancellationTokenSource;
        global using X509Certificate = EdgeSensors.Device.Simulator.Runtime.NanoX509Certificate;
        global using Debug = EdgeSensors.Device.Simulator.Runtime.BoardDebug;
        """;

    private readonly byte[] _image;

    private ProgramImage(byte[] image, IReadOnlyList<string> sources)
    {
        _image = image;
        Sources = sources;
    }

    /// <summary>The source files compiled, relative to the repository.</summary>
    public IReadOnlyList<string> Sources { get; }

    /// <summary>
    /// Compiles the program from the repository at <paramref name="repositoryRoot"/>. <paramref name="plant"/>, when
    /// given, may rewrite a file (relative path with forward slashes, text) — a test's planted fault.
    /// </summary>
    public static ProgramImage Build(string repositoryRoot, Func<string, string, string>? plant = null)
    {
        var files = new List<string>();
        files.AddRange(SourcesUnder(repositoryRoot, "firmware/EdgeSensors.Node", "Desktop/"));
        files.AddRange(SourcesUnder(repositoryRoot, "firmware/EdgeSensors.Device", null));
        if (!files.Any(f => f.EndsWith("EdgeSensors.Device/Program.cs", StringComparison.Ordinal)))
        {
            throw new FileNotFoundException("firmware/EdgeSensors.Device/Program.cs not found under " + repositoryRoot);
        }

        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = new List<SyntaxTree> { CSharpSyntaxTree.ParseText(BoardUsings, parse, "BoardUsings.cs") };
        foreach (string relative in files)
        {
            string text = File.ReadAllText(Path.Combine(repositoryRoot, relative));
            if (plant != null)
            {
                text = plant(relative, text);
            }

            trees.Add(CSharpSyntaxTree.ParseText(text, parse, relative));
        }

        string runtime = Path.GetDirectoryName(typeof(object).Assembly.Location)!;
        var references = Directory.GetFiles(runtime, "*.dll")
            .Where(IsManagedReference)
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(ProgramImage).Assembly.Location))
            .ToList();
        var compilation = CSharpCompilation.Create(
            "EdgeSensors.Device",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var pe = new MemoryStream();
        var result = compilation.Emit(pe);
        if (!result.Success)
        {
            string errors = string.Join('\n', result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(30));
            throw new InvalidOperationException("The device program does not compile for the simulated board:\n" + errors);
        }

        return new ProgramImage(pe.ToArray(), files);
    }

    /// <summary>Finds the repository root (the folder with EdgeSensors.sln) above <paramref name="start"/>.</summary>
    public static string FindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "EdgeSensors.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("EdgeSensors.sln not found above " + start);
    }

    /// <summary>Loads a fresh copy of the program (its statics in new RAM) and finds Program.Main.</summary>
    internal (AssemblyLoadContext Context, MethodInfo Main) Load(int boot)
    {
        var context = new AssemblyLoadContext("node-program-run-" + boot, isCollectible: true);
        using var image = new MemoryStream(_image);
        Assembly program = context.LoadFromStream(image);
        MethodInfo main = program.GetType("EdgeSensors.Device.Program", throwOnError: true)!
            .GetMethod("Main", BindingFlags.Public | BindingFlags.Static)!;
        return (context, main);
    }

    private static IEnumerable<string> SourcesUnder(string root, string folder, string? excluded)
    {
        string full = Path.Combine(root, folder);
        return Directory.GetFiles(full, "*.cs", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(root, p).Replace('\\', '/'))
            .Where(p => !p.Contains("/obj/", StringComparison.Ordinal) && !p.Contains("/bin/", StringComparison.Ordinal))
            .Where(p => excluded == null || !p.Contains("/" + excluded, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);
    }

    private static bool IsManagedReference(string path)
    {
        string name = Path.GetFileName(path);
        if (name.StartsWith("Microsoft.DiaSymReader", StringComparison.Ordinal) || name.StartsWith("mscordaccore", StringComparison.Ordinal) || name.StartsWith("mscordbi", StringComparison.Ordinal))
        {
            return false;
        }

        try
        {
            AssemblyName.GetAssemblyName(path);
            return true;
        }
        catch (BadImageFormatException)
        {
            return false;
        }
    }
}
