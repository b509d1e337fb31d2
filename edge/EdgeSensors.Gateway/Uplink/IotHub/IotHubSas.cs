using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace EdgeSensors.Gateway.Uplink.IotHub;

/// <summary>
/// Shared access signature tokens for an IoT Hub device, as IoT Hub's security documentation defines them:
/// "SharedAccessSignature sr={URL-encoded resourceURI}&amp;sig={signature}&amp;se={expiry}", where resourceURI is
/// "{hub host}/devices/{device id}", expiry is seconds since 1970-01-01 UTC, and the signature is the URL-encoded
/// base64 HMAC-SHA256, keyed with the device key, of "{URL-encoded resourceURI}\n{expiry}". Written here because the
/// SDK that would sign it (Microsoft.Azure.Devices.Client) is not available to this build (docs/uplink.md).
/// </summary>
public static class IotHubSas
{
    /// <summary>Signs a device token valid until <paramref name="expiry"/>.</summary>
    public static string DeviceToken(string hostName, string deviceId, byte[] key, DateTimeOffset expiry)
    {
        string resource = $"{hostName}/devices/{Uri.EscapeDataString(deviceId)}";
        string sr = WebUtility.UrlEncode(resource);
        string se = expiry.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        byte[] signature = HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(sr + "\n" + se));
        return $"SharedAccessSignature sr={sr}&sig={WebUtility.UrlEncode(Convert.ToBase64String(signature))}&se={se}";
    }
}
