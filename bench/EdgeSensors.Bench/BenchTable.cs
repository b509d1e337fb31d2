namespace EdgeSensors.Bench;

/// <summary>How a benchmark prints its figures: a heading line, a Markdown table, and the same appended to a results file when given.</summary>
public static class BenchTable
{
    public static async Task WriteAsync(string heading, string columns, IEnumerable<string> rows, string? results)
    {
        string separator = "|" + string.Concat(Enumerable.Repeat("---|", columns.Count(c => c == '|') - 1));
        string table = $"{columns}\n{separator}\n{string.Join('\n', rows)}";
        Console.WriteLine();
        Console.WriteLine(heading);
        Console.WriteLine(table);
        if (results != null)
        {
            await File.AppendAllTextAsync(results, $"\n{heading}\n\n{table}\n");
        }
    }

    /// <summary>An integer option's value (--name N), or the fallback.</summary>
    public static int Option(string[] args, string name, int fallback)
    {
        int i = Array.IndexOf(args, name);
        return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
    }

    /// <summary>--results FILE, or null.</summary>
    public static string? Results(string[] args)
    {
        int i = Array.IndexOf(args, "--results");
        return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
    }
}
