using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Security;

namespace EdgeSensors.Gateway.Transport;

/// <summary>
/// Checks a remote server's certificate against a private CA (PEM file) or a pinned SHA-256, as the province's
/// IOC broker and SOC receiver are usually signed by the province's own CA. Shared by the uplink and the SOC feed.
/// </summary>
public sealed class PrivateTrust
{
    private readonly X509Certificate2Collection? _ca;
    private readonly string? _pin;

    public PrivateTrust(string? caPemPath, string? pinnedSha256)
    {
        if (!string.IsNullOrEmpty(caPemPath))
        {
            _ca = [];
            _ca.ImportFromPemFile(caPemPath);
        }

        _pin = string.IsNullOrEmpty(pinnedSha256) ? null : pinnedSha256.Replace(":", string.Empty, StringComparison.Ordinal).ToUpperInvariant();
    }

    /// <summary>True when a CA or a pin is configured (otherwise the system's trust decides).</summary>
    public bool IsCustom => _ca != null || _pin != null;

    public bool Validate(X509Certificate? certificate, SslPolicyErrors errors)
    {
        if (!IsCustom)
        {
            return errors == SslPolicyErrors.None;
        }

        if (certificate == null)
        {
            return false;
        }

        using X509Certificate2 server = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        if (_pin != null)
        {
            // Pinning: the exact certificate, whatever signed it.
            return Convert.ToHexString(SHA256.HashData(server.RawData)) == _pin;
        }

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.AddRange(_ca!);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        // The name must still match; only the chain is judged against the private CA instead of the system's.
        return chain.Build(server) && errors is SslPolicyErrors.None or SslPolicyErrors.RemoteCertificateChainErrors;
    }
}
