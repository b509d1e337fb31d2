namespace EdgeSensors.Cli.Commands;

/// <summary>Human output with colour when a terminal shows it (NO_COLOR respected), plain when redirected.</summary>
public sealed class Console2(TextWriter output, TextWriter error)
{
    private static readonly bool Colour = !Console.IsOutputRedirected && Environment.GetEnvironmentVariable("NO_COLOR") == null;

    public TextWriter Out { get; } = output;

    public TextWriter Err { get; } = error;

    public void Ok(string text) => Out.WriteLine(Paint("32", "✔ ") + text);

    public void Info(string text) => Out.WriteLine(text);

    public void Warn(string text) => Err.WriteLine(Paint("33", "! ") + text);

    public int Fail(int code, string text)
    {
        Err.WriteLine(Paint("31", "✖ ") + text);
        return code;
    }

    public static string Paint(string code, string text) => Colour ? $"\u001b[{code}m{text}\u001b[0m" : text;
}
