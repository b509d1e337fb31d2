using System.Security.Cryptography;
using System.Text;
using EdgeSensors.Gateway.Options;
using Microsoft.Extensions.Options;

namespace EdgeSensors.Gateway.Admin;

/// <summary>
/// The operator credential. There is no default password: the token comes from configuration (Admin:OperatorToken),
/// or from {DataDirectory}/operator.token, or is generated at first start into that file (mode 600). It is never
/// written to the log. Requests present it as "Authorization: Bearer …"; comparison is constant-time on hashes.
/// </summary>
public sealed class OperatorAuth
{
    private readonly byte[] _tokenHash;

    public OperatorAuth(IOptions<AdminOptions> admin, IOptions<GatewayOptions> gateway)
    {
        TokenFile = Path.GetFullPath(Path.Combine(gateway.Value.DataDirectory, "operator.token"));
        string? token = admin.Value.OperatorToken;
        if (string.IsNullOrEmpty(token))
        {
            if (File.Exists(TokenFile))
            {
                token = File.ReadAllText(TokenFile).Trim();
                TokenSource = "file";
            }
            else
            {
                token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
                Directory.CreateDirectory(Path.GetDirectoryName(TokenFile)!);
                using (var f = new FileStream(TokenFile, FileMode.CreateNew, FileAccess.Write))
                {
                    if (!OperatingSystem.IsWindows())
                    {
                        File.SetUnixFileMode(TokenFile, UnixFileMode.UserRead | UnixFileMode.UserWrite);
                    }

                    f.Write(Encoding.UTF8.GetBytes(token + "\n"));
                }

                TokenSource = "generated";
            }
        }
        else
        {
            if (token.Length < 16)
            {
                throw new OptionsValidationException(AdminOptions.Section, typeof(AdminOptions), ["Admin:OperatorToken must be at least 16 characters."]);
            }

            TokenSource = "configuration";
        }

        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Where the token is kept when it is not configured.</summary>
    public string TokenFile { get; }

    /// <summary>configuration, file or generated.</summary>
    public string TokenSource { get; }

    public bool IsAuthorized(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (header == null || !header.StartsWith("Bearer ", StringComparison.Ordinal))
        {
            return false;
        }

        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(header["Bearer ".Length..].Trim()));
        return CryptographicOperations.FixedTimeEquals(presented, _tokenHash);
    }
}
