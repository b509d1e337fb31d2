using System.Globalization;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// "--fault kind=target": target is a fraction of the fleet (0.1) or a node id. Kinds: wifi-drop, reboot, brown-out,
/// clock-unsynced, clock-jump, open-probe, stuck-adc, flood, garbage, oversize, wrong-credentials, foreign-topic.
/// </summary>
public sealed record FaultSpec(FaultKind Kind, double? Fraction, string? NodeId)
{
    public static string KindName(FaultKind k) => string.Concat(k.ToString().Select((c, i) => i > 0 && char.IsUpper(c) ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));

    public static FaultSpec Parse(string text)
    {
        string[] parts = text.Split('=', 2);
        FaultKind? kind = Enum.GetValues<FaultKind>().Cast<FaultKind?>().FirstOrDefault(k => KindName(k!.Value) == parts[0]);
        if (kind == null)
        {
            throw new FormatException($"unknown fault '{parts[0]}'; known: {string.Join(", ", Enum.GetValues<FaultKind>().Select(KindName))}");
        }

        if (parts.Length == 1)
        {
            return new FaultSpec(kind.Value, 0.1, null);
        }

        if (double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double f))
        {
            if (f is <= 0 or > 1)
            {
                throw new FormatException($"fault fraction must be in (0, 1]; got {parts[1]}");
            }

            return new FaultSpec(kind.Value, f, null);
        }

        return new FaultSpec(kind.Value, null, parts[1]);
    }
}
