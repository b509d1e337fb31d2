namespace EdgeSensors.Node.Config;

/// <summary>
/// The wire names of <see cref="LevelSource"/> (node.json's <c>calibration.level_source</c>): one home for the encoder,
/// the decoder and the CLI.
/// </summary>
public static class LevelSources
{
    /// <summary>Every wire name, in the order of the enum.</summary>
    public static readonly string[] Names = ["none", "pressure", "ultrasonic", "maxsonar"];

    /// <summary>The wire name of <paramref name="source"/>.</summary>
    public static string Name(LevelSource source)
    {
        int i = (int)source;
        return i >= 0 && i < Names.Length ? Names[i] : Names[0];
    }

    /// <summary>The source named <paramref name="name"/>; false for any other text.</summary>
    public static bool TryParse(string name, out LevelSource source)
    {
        for (int i = 0; i < Names.Length; i++)
        {
            if (Names[i] == name)
            {
                source = (LevelSource)i;
                return true;
            }
        }

        source = LevelSource.None;
        return false;
    }

    /// <summary>The names as a sentence for error text: "\"none\", \"pressure\", … or \"maxsonar\"".</summary>
    public static string Listed()
    {
        string text = string.Empty;
        for (int i = 0; i < Names.Length; i++)
        {
            text += (i == 0 ? string.Empty : i == Names.Length - 1 ? " or " : ", ") + "\"" + Names[i] + "\"";
        }

        return text;
    }
}
