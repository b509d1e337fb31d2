using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>A throwaway private CA and a server certificate for 127.0.0.1, as PEM files (for a TLS Mosquitto in tests).</summary>
public sealed class TlsFiles : IDisposable
{
    private readonly TempDir _dir = new();

    public TlsFiles()
    {
        using RSA caKey = RSA.Create(2048);
        var caRequest = new CertificateRequest("CN=EdgeSensors Test IOC CA", caKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        using X509Certificate2 ca = caRequest.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddYears(1));

        using RSA serverKey = RSA.Create(2048);
        var serverRequest = new CertificateRequest("CN=127.0.0.1", serverKey, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(IPAddress.Loopback);
        san.AddDnsName("localhost");
        serverRequest.CertificateExtensions.Add(san.Build());
        serverRequest.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        using X509Certificate2 server = serverRequest.Create(ca, DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddMonths(6), RandomNumberGenerator.GetBytes(8));

        CaPem = Write("ca.pem", ca.ExportCertificatePem());
        CertPem = Write("server.pem", server.ExportCertificatePem());
        KeyPem = Write("server.key", serverKey.ExportPkcs8PrivateKeyPem());
        ServerSha256 = Convert.ToHexString(SHA256.HashData(server.RawData));
        using X509Certificate2 withKey = server.CopyWithPrivateKey(serverKey);
        PfxPassword = Convert.ToHexString(RandomNumberGenerator.GetBytes(8));
        Pfx = Path.Combine(_dir.Path, "server.pfx");
        File.WriteAllBytes(Pfx, withKey.Export(X509ContentType.Pkcs12, PfxPassword));
        if (!OperatingSystem.IsWindows())
        {
            // Mosquitto started as root drops to its own user and must read these.
            File.SetUnixFileMode(_dir.Path, (UnixFileMode)0x1ED);
        }
    }

    public string CaPem { get; }

    public string CertPem { get; }

    public string KeyPem { get; }

    /// <summary>The server certificate with its key as PKCS#12 (the gateway's TLS listener takes this form).</summary>
    public string Pfx { get; }

    public string PfxPassword { get; }

    /// <summary>SHA-256 of the server certificate (hex), for pinning.</summary>
    public string ServerSha256 { get; }

    public void Dispose() => _dir.Dispose();

    private string Write(string name, string pem)
    {
        string path = Path.Combine(_dir.Path, name);
        File.WriteAllText(path, pem);
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, (UnixFileMode)0x1A4);
        }

        return path;
    }
}
