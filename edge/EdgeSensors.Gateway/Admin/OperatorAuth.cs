using System.Security.Cryptography;
using System.Text;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using Microsoft.Extensions.Options;
using EdgeSensors.Gateway.Hosting;

namespace EdgeSensors.Gateway.Admin;

/// <summary>
/// Who is calling the operator API. The bootstrap account "admin" is the operator token: from configuration
/// (Admin:OperatorToken), or {DataDirectory}/operator.token, or generated at first start into that file — created
/// mode 0600 in the same call (no window in which it is readable), never logged. It creates the named accounts
/// (technician, operator), each with its own token, kept in the store as a hash (<see cref="IOperatorAccounts"/>).
/// Comparison of the bootstrap token is constant-time on hashes.
/// </summary>
public sealed class OperatorAuth
{
    private byte[] _tokenHash;
    private readonly IOperatorAccounts _accounts;

    public OperatorAuth(IOptions<AdminOptions> admin, IOptions<GatewayOptions> gateway, IOperatorAccounts accounts)
    {
        _accounts = accounts;
        TokenFile = Path.GetFullPath(Path.Combine(gateway.Value.DataDirectory, "operator.token"));
        string? token = admin.Value.OperatorToken;
        if (string.IsNullOrEmpty(token) && admin.Value.OperatorTokenFile is { Length: > 0 } file)
        {
            token = File.ReadAllText(file).Trim();
            TokenSource = "token file " + file;
        }

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
                Security.SecretFile.Write(TokenFile, token + "\n");
                TokenSource = "generated";
            }
        }
        else if (TokenSource == null)
        {
            TokenSource = "configuration";
        }

        if (token.Length < 16)
        {
            throw new OptionsValidationException(AdminOptions.Section, typeof(AdminOptions), ["The operator token must be at least 16 characters."]);
        }

        _tokenHash = SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Where the bootstrap token is kept when it is not configured.</summary>
    public string TokenFile { get; }

    /// <summary>configuration, token file, file or generated.</summary>
    public string? TokenSource { get; }

    /// <summary>
    /// Gives the bootstrap admin account a new token, written to the token file (0600, atomically) and in force at
    /// once; the old one stops working. Null when the token is configured (then the configuration must change).
    /// </summary>
    public string? RotateAdminToken()
    {
        if (TokenSource is not ("file" or "generated"))
        {
            return null;
        }

        string token = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        Security.SecretFile.Write(TokenFile, token + "\n");
        Volatile.Write(ref _tokenHash, SHA256.HashData(Encoding.UTF8.GetBytes(token)));
        return token;
    }

    /// <summary>The account a presented token belongs to, or null.</summary>
    public OperatorAccount? Authenticate(string token)
    {
        byte[] presented = SHA256.HashData(Encoding.UTF8.GetBytes(token));
        if (CryptographicOperations.FixedTimeEquals(presented, Volatile.Read(ref _tokenHash)))
        {
            return new OperatorAccount(OperatorRoles.Admin, OperatorRoles.Admin, 0, null);
        }

        return _accounts.FindByToken(token);
    }
}
