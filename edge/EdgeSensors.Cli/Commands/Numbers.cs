using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;

namespace EdgeSensors.Cli.Commands;

/// <summary>
/// One rule for every number a technician types (issue 16): digits with at most one decimal separator, a point or a
/// comma — "4.5" and "4,5" are both four and a half, as a Vietnamese technician writes it — an optional leading
/// minus, an optional exponent (1e-3); no thousands separators, no spaces. Anything else is refused with this rule
/// and exit code 1, never read some other way (System.CommandLine's default would read "4,5" as 45 under the
/// invariant culture). Ranges are checked in the same place, so a bad value gives one clear message.
/// </summary>
public static class Numbers
{
    public const string Rule = "a number with a decimal point or a decimal comma (4.5 or 4,5), without thousands separators";

    /// <summary>Parses <paramref name="text"/> by <see cref="Rule"/>.</summary>
    public static bool TryParse(string text, out double value)
    {
        value = double.NaN;
        string t = text.Trim();
        if (t.Length == 0 || t.Length > 40 || t.Count(c => c is '.' or ',') > 1)
        {
            return false;
        }

        foreach (char c in t)
        {
            if (!(char.IsAsciiDigit(c) || c is '.' or ',' or '-' or '+' or 'e' or 'E'))
            {
                return false;
            }
        }

        return double.TryParse(t.Replace(',', '.'), NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent, CultureInfo.InvariantCulture, out value)
            && double.IsFinite(value);
    }

    /// <summary>A decimal option read by <see cref="Rule"/>, within [min, max].</summary>
    public static Option<double> Number(string name, string description, double min, double max, string unit, double? defaultValue = null)
    {
        var o = new Option<double>(name) { Description = description, Required = defaultValue == null };
        if (defaultValue is double d)
        {
            o.DefaultValueFactory = _ => d;
        }

        o.CustomParser = r => Parse(r, name, min, max, unit) ?? 0;
        return o;
    }

    /// <summary>An optional decimal option (no value: null).</summary>
    public static Option<double?> OptionalNumber(string name, string description, double min, double max, string unit)
    {
        var o = new Option<double?>(name) { Description = description };
        o.CustomParser = r => Parse(r, name, min, max, unit);
        return o;
    }

    /// <summary>A whole-number option within [min, max].</summary>
    public static Option<int> Whole(string name, string description, int min, int max, int defaultValue)
    {
        var o = new Option<int>(name) { Description = description, DefaultValueFactory = _ => defaultValue };
        o.CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v))
            {
                r.AddError($"{name} must be a whole number from {min} to {max}; got \"{text}\".");
                return defaultValue;
            }

            if (v < min || v > max)
            {
                r.AddError($"{name} must be from {min} to {max}; got {v}.");
            }

            return v;
        };
        return o;
    }

    /// <summary>An optional whole-number option (no value: null).</summary>
    public static Option<int?> OptionalWhole(string name, string description, int min, int max)
    {
        var o = new Option<int?>(name) { Description = description };
        o.CustomParser = r =>
        {
            string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
            if (!int.TryParse(text.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out int v) || v < min || v > max)
            {
                r.AddError($"{name} must be a whole number from {min} to {max}; got \"{text}\".");
                return null;
            }

            return v;
        };
        return o;
    }

    private static double? Parse(ArgumentResult r, string name, double min, double max, string unit)
    {
        string text = r.Tokens.Count == 1 ? r.Tokens[0].Value : string.Empty;
        if (!TryParse(text, out double v))
        {
            r.AddError($"{name} must be {Rule}; got \"{text}\".");
            return null;
        }

        if (v < min || v > max)
        {
            r.AddError($"{name} must be between {min.ToString(CultureInfo.InvariantCulture)} and {max.ToString(CultureInfo.InvariantCulture)}{(unit.Length > 0 ? " " + unit : string.Empty)}; got {v.ToString(CultureInfo.InvariantCulture)}.");
        }

        return v;
    }
}
