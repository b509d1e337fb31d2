namespace EdgeSensors.Gateway.Sms;

/// <summary>
/// Vietnamese mobile numbers: what farmers type ("0912 345 678", "+84 912 345 678", "84912345678", "(+84)912-345-678")
/// normalised to E.164 ("+84912345678"), and masked for logs. Mobile numbers are 0 + 9 digits whose first digit is
/// 3, 5, 7, 8 or 9 (the plan since the 2018 renumbering of 11-digit numbers, Ministry of Information and
/// Communications Circular 22/2014 and Decision 798/QĐ-BTTTT).
/// </summary>
public static class PhoneNumbers
{
    /// <summary>E.164, or null with a reason.</summary>
    public static string? Normalize(string? input, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(input))
        {
            error = "no number";
            return null;
        }

        string s = input.Trim();
        bool plus = s.StartsWith('+') || s.StartsWith("(+", StringComparison.Ordinal);
        var digits = new System.Text.StringBuilder();
        foreach (char c in s)
        {
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '+'))
            {
                error = $"'{c}' is not part of a phone number";
                return null;
            }
        }

        string d = digits.ToString();
        string national;
        if (d.StartsWith("84", StringComparison.Ordinal) && (plus || d.Length == 11))
        {
            national = d[2..];
        }
        else if (d.StartsWith('0') && !plus)
        {
            national = d[1..];
        }
        else
        {
            error = "not a Vietnamese number: give 0xxxxxxxxx or +84xxxxxxxxx";
            return null;
        }

        if (national.Length != 9 || national[0] is not ('3' or '5' or '7' or '8' or '9'))
        {
            error = "not a Vietnamese mobile number: 10 digits starting 03, 05, 07, 08 or 09";
            return null;
        }

        return "+84" + national;
    }

    /// <summary>For logs and lists: the country code, the first two and the last two digits ("+8491*****78").</summary>
    public static string Mask(string e164) =>
        e164.Length <= 7 ? new string('*', e164.Length) : e164[..5] + new string('*', e164.Length - 7) + e164[^2..];
}
