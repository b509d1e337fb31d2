namespace EdgeSensors.Gateway.Uplink;

/// <summary>
/// An IoT Hub device connection string, "HostName=…;DeviceId=…;SharedAccessKey=…" (the form the Azure portal and
/// `az iot hub device-identity connection-string show` give). Parsed here by hand because the SDK package that
/// parses it (Microsoft.Azure.Devices.Client) is not available to this build; the format is a plain key=value list.
/// </summary>
public sealed record IotHubConnectionString(string HostName, string DeviceId, byte[] Key)
{
    /// <summary>Parses; on failure returns null with a reason that never repeats the key.</summary>
    public static IotHubConnectionString? TryParse(string? text, out string? error)
    {
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "is empty";
            return null;
        }

        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in text.Trim().Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = "is not a list of Name=value pairs separated by ';' (HostName=…;DeviceId=…;SharedAccessKey=…)";
                return null;
            }

            // Base64 keys end in '=': only the first '=' separates the name.
            parts[part[..eq]] = part[(eq + 1)..];
        }

        if (parts.ContainsKey("x509") || parts.ContainsKey("SharedAccessSignature"))
        {
            error = "uses X.509 or a fixed SAS token; this gateway signs its own tokens and needs SharedAccessKey";
            return null;
        }

        if (!parts.TryGetValue("HostName", out string? host) || host.Length == 0 || host.Contains('/', StringComparison.Ordinal))
        {
            error = "has no HostName (such as my-hub.azure-devices.net)";
            return null;
        }

        if (!parts.TryGetValue("DeviceId", out string? device) || device.Length is 0 or > 128)
        {
            error = "has no DeviceId (1–128 characters)";
            return null;
        }

        if (parts.ContainsKey("ModuleId") || parts.ContainsKey("GatewayHostName"))
        {
            error = "is a module or downstream-device string; give the gateway's own device connection string";
            return null;
        }

        if (!parts.TryGetValue("SharedAccessKey", out string? key) || key.Length == 0)
        {
            error = "has no SharedAccessKey";
            return null;
        }

        byte[] bytes;
        try
        {
            bytes = Convert.FromBase64String(key);
        }
        catch (FormatException)
        {
            error = "has a SharedAccessKey that is not base64";
            return null;
        }

        if (bytes.Length < 16)
        {
            error = "has a SharedAccessKey shorter than 16 bytes";
            return null;
        }

        return new IotHubConnectionString(host, device, bytes);
    }

    /// <summary>Never prints the key.</summary>
    public override string ToString() => $"HostName={HostName};DeviceId={DeviceId};SharedAccessKey=***";
}
