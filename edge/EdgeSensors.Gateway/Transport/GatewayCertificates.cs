using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Security;

namespace EdgeSensors.Gateway.Transport;

/// <summary>
/// The gateway's own certificate authority and server certificate, made on first start (or by deploy/install.sh,
/// which simply starts this code once) in {DataDirectory}/tls/, so every link that carries a secret — nodes on MQTT
/// 8883, the operator API on HTTPS — is encrypted without anyone configuring it. Built on .NET's own
/// <see cref="CertificateRequest"/>; nothing of X.509 is written by hand.
/// <list type="bullet">
/// <item><c>ca.crt</c> (PEM, public): what nodes and the technician's CLI trust; <c>node config</c> copies it into each node.</item>
/// <item><c>ca.key</c> (PKCS#8 PEM, mode 0600): kept, never regenerated silently — if it is missing while <c>ca.crt</c>
/// exists the gateway refuses to start rather than cut every node off with a new CA.</item>
/// <item><c>server.pfx</c> (mode 0600): RSA 2048 (what an ESP32's mbedTLS handshakes in about a second), names the
/// host, <c>localhost</c> and every address of the Pi; re-issued from the same CA when it nears expiry or an address
/// it does not name appears (DHCP), which nodes accept because they trust the CA, not the certificate.</item>
/// </list>
/// </summary>
public sealed class GatewayCertificates
{
    private GatewayCertificates(string dir, X509Certificate2 ca, X509Certificate2 server, string summary)
    {
        Directory = dir;
        Ca = ca;
        Server = server;
        Summary = summary;
    }

    public string Directory { get; }

    public string CaPath => Path.Combine(Directory, "ca.crt");

    public X509Certificate2 Ca { get; }

    /// <summary>The server certificate with its private key.</summary>
    public X509Certificate2 Server { get; }

    /// <summary>What happened at start (for the start-up log line).</summary>
    public string Summary { get; }

    /// <summary>Loads or makes the CA and the server certificate under <paramref name="dataDirectory"/>/tls.</summary>
    public static GatewayCertificates Ensure(string dataDirectory, string site, DateTimeOffset now)
    {
        string dir = Path.GetFullPath(Path.Combine(dataDirectory, "tls"));
        SecretFile.EnsurePrivateDirectory(Path.GetFullPath(dataDirectory));
        SecretFile.EnsurePrivateDirectory(dir);
        string caCrt = Path.Combine(dir, "ca.crt");
        string caKey = Path.Combine(dir, "ca.key");
        string serverPfx = Path.Combine(dir, "server.pfx");
        var said = new List<string>();

        X509Certificate2 ca;
        if (File.Exists(caCrt) != File.Exists(caKey))
        {
            throw new InvalidOperationException(
                $"{dir} holds {(File.Exists(caCrt) ? "ca.crt without ca.key" : "ca.key without ca.crt")}: restore the missing file from the backup. "
                + "A new CA would cut off every node configured with the old one, so the gateway does not make one by itself; "
                + "to start over on purpose, move the tls folder away and re-run `edgesensors node config` for every node.");
        }

        if (File.Exists(caCrt))
        {
            ca = LoadCa(caCrt, caKey, site, now, said);
        }
        else
        {
            using RSA key = RSA.Create(3072);
            using X509Certificate2 made = MakeCaCertificate(key, site, now);
            SecretFile.Write(caKey, key.ExportPkcs8PrivateKeyPem());
            DurableFile.Write(caCrt, System.Text.Encoding.ASCII.GetBytes(made.ExportCertificatePem()), PublicFile);
            ca = X509Certificate2.CreateFromPemFile(caCrt, caKey);
            said.Add("made a new gateway CA");
        }

        // Only what the CA may vouch for goes into the server certificate (a renamed host or a public address would
        // make every client refuse it under the CA's name constraints).
        IReadOnlyList<string>? permitted = CaNameConstraints.PermittedDnsNames(ca);
        string[] names = new[] { Dns.GetHostName(), "localhost" }.Where(n => CaNameConstraints.Permits(permitted, n)).ToArray();
        IPAddress[] addresses = LocalAddresses().Where(a => permitted == null || CaNameConstraints.Permits(a)).ToArray();
        if (permitted == null)
        {
            said.Add("the CA has no name constraints (made before they were added): re-make it at the next service visit (deploy/README, \"Renewing the gateway CA\")");
        }

        if (ca.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(365))
        {
            said.Add($"the CA expires on {ca.NotAfter.ToUniversalTime():yyyy-MM-dd}: renew it before then (deploy/README, \"Renewing the gateway CA\")");
        }
        X509Certificate2? server = null;
        bool damaged = false;
        if (File.Exists(serverPfx))
        {
            try
            {
                server = X509CertificateLoader.LoadPkcs12FromFile(serverPfx, null, X509KeyStorageFlags.Exportable);
            }
            catch (CryptographicException)
            {
                // A damaged server certificate is re-issued from the CA: nodes trust the CA, not this certificate.
                damaged = true;
            }
        }

        string? why = damaged ? "the old one was damaged"
            : server == null ? "none yet"
            : server.NotAfter.ToUniversalTime() < now.UtcDateTime.AddDays(60) ? "the old one expires soon"
            : !string.Equals(server.Issuer, ca.Subject, StringComparison.Ordinal) ? "the old one is not from this CA"
            : addresses.FirstOrDefault(a => !Names(server).Contains(a.ToString())) is { } missing ? $"it does not name {missing}"
            : null;
        if (why != null)
        {
            server?.Dispose();
            server = Issue(ca, names, addresses, now);
            SecretFile.Write(serverPfx, server.Export(X509ContentType.Pkcs12));
            server.Dispose();
            server = X509CertificateLoader.LoadPkcs12FromFile(serverPfx, null, X509KeyStorageFlags.Exportable);
            said.Add($"issued a server certificate ({why})");
        }

        string sha = Convert.ToHexStringLower(SHA256.HashData(ca.RawData));
        said.Add($"CA {caCrt} SHA-256 {sha}");
        return new GatewayCertificates(dir, ca, server!, string.Join("; ", said));
    }

    private const UnixFileMode PublicFile = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    /// <summary>
    /// The CA from its two files. The key is the CA: a damaged key stops the gateway with what to do. A damaged or
    /// empty certificate (a power cut during the very first start, before this file was written crash-safely) is made
    /// again from the key with the same name: nodes check the server's certificate against the CA's name and key, so
    /// every node configured with the old ca.crt keeps working.
    /// </summary>
    private static X509Certificate2 LoadCa(string caCrt, string caKey, string site, DateTimeOffset now, List<string> said)
    {
        RSA key;
        try
        {
            key = RSA.Create();
            key.ImportFromPem(File.ReadAllText(caKey));
        }
        catch (Exception e) when (e is ArgumentException or CryptographicException)
        {
            throw new InvalidOperationException(
                $"{caKey} is damaged ({e.Message}): restore it from the backup (deploy/README, \"what to back up\"). "
                + "A new CA would cut off every node configured with the old one, so the gateway does not make one by itself; "
                + "to start over on purpose, move the tls folder away and re-run `edgesensors node config` for every node.", e);
        }

        using (key)
        {
            try
            {
                var ca = X509Certificate2.CreateFromPemFile(caCrt, caKey);
                if (ca.GetRSAPublicKey() is { } pub && pub.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(key.ExportSubjectPublicKeyInfo()))
                {
                    return ca;
                }

                throw new InvalidOperationException($"{caCrt} and {caKey} are not a pair: restore both from the same backup.");
            }
            catch (CryptographicException e)
            {
                using X509Certificate2 made = MakeCaCertificate(key, site, now);
                DurableFile.Write(caCrt, System.Text.Encoding.ASCII.GetBytes(made.ExportCertificatePem()), PublicFile);
                said.Add($"ca.crt was damaged ({e.Message.TrimEnd('.')}); made it again from ca.key, same name and key, so configured nodes keep trusting the gateway");
                return X509Certificate2.CreateFromPemFile(caCrt, caKey);
            }
        }
    }

    /// <summary>Years a new CA is valid: renewed by a technician (deploy/README, "Renewing the gateway CA"), warned of a year ahead.</summary>
    public const int CaYears = 10;

    /// <summary>
    /// The CA's self-signed certificate for <paramref name="key"/>: <see cref="CaYears"/> years, CA:true with path length
    /// 0, and name constraints (<see cref="CaNameConstraints"/>): it vouches for this gateway's names and private
    /// addresses only. A CA re-made from its key (a damaged ca.crt) keeps the name and key, so nodes keep trusting it.
    /// </summary>
    private static X509Certificate2 MakeCaCertificate(RSA key, string site, DateTimeOffset now)
    {
        var req = new CertificateRequest($"CN=EdgeSensors gateway CA {site}, O=EdgeSensors", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(CaNameConstraints.Build(Dns.GetHostName()));
        return req.CreateSelfSigned(now.AddDays(-1), now.AddYears(CaYears));
    }

    private static X509Certificate2 Issue(X509Certificate2 ca, string[] names, IPAddress[] addresses, DateTimeOffset now)
    {
        using RSA key = RSA.Create(2048);
        var req = new CertificateRequest($"CN={names[0]}, O=EdgeSensors", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        foreach (string n in names.Distinct(StringComparer.OrdinalIgnoreCase))
        {
            san.AddDnsName(n);
        }

        foreach (IPAddress a in addresses)
        {
            san.AddIpAddress(a);
        }

        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyEncipherment, true));
        req.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], false));
        req.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(req.PublicKey, false));
        req.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        byte[] serial = RandomNumberGenerator.GetBytes(16);
        serial[0] &= 0x7F;
        // Never beyond the CA's own end.
        DateTimeOffset notAfter = new[] { now.AddYears(5), new DateTimeOffset(ca.NotAfter.ToUniversalTime(), TimeSpan.Zero) }.Min();
        using X509Certificate2 cert = req.Create(ca, now.AddDays(-1), notAfter, serial);
        return cert.CopyWithPrivateKey(key);
    }

    private static HashSet<string> Names(X509Certificate2 cert)
    {
        var names = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (X509Extension e in cert.Extensions)
        {
            if (e is X509SubjectAlternativeNameExtension san)
            {
                foreach (IPAddress a in san.EnumerateIPAddresses())
                {
                    names.Add(a.ToString());
                }

                foreach (string d in san.EnumerateDnsNames())
                {
                    names.Add(d);
                }
            }
        }

        return names;
    }

    /// <summary>Loopback and every unicast address of the machine's interfaces that are up.</summary>
    private static IPAddress[] LocalAddresses()
    {
        var list = new List<IPAddress> { IPAddress.Loopback, IPAddress.IPv6Loopback };
        try
        {
            foreach (NetworkInterface ni in NetworkInterface.GetAllNetworkInterfaces().Where(n => n.OperationalStatus == OperationalStatus.Up))
            {
                foreach (UnicastIPAddressInformation u in ni.GetIPProperties().UnicastAddresses)
                {
                    if (u.Address.AddressFamily == AddressFamily.InterNetwork || (u.Address.AddressFamily == AddressFamily.InterNetworkV6 && !u.Address.IsIPv6LinkLocal))
                    {
                        list.Add(u.Address);
                    }
                }
            }
        }
        catch (NetworkInformationException)
        {
        }

        return list.Distinct().ToArray();
    }
}
