using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Security;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Gateway.Transport;

namespace EdgeSensors.Gateway.Tests.Security;

/// <summary>The gateway's own CA: made once, kept, never remade silently; its server certificate chains to it and names the machine.</summary>
public sealed class GatewayCertificatesTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_CA_is_made_once_and_kept_and_the_server_certificate_chains_to_it()
    {
        using var dir = new TempDir();
        GatewayCertificates first = GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        GatewayCertificates again = GatewayCertificates.Ensure(dir.Path, "hg-test", Now.AddDays(1));
        Assert.Equal(first.Ca.Thumbprint, again.Ca.Thumbprint);
        Assert.Equal(first.Server.Thumbprint, again.Server.Thumbprint);
        Assert.True(first.Server.HasPrivateKey);
        Assert.Contains("127.0.0.1", first.Server.GetNameInfo(X509NameType.DnsName, false) + string.Join(",", SanOf(first.Server)), StringComparison.Ordinal);

        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(first.Ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddDays(1);
        Assert.True(chain.Build(first.Server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));

        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "tls", "ca.key")));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(dir.Path, "tls", "server.pfx")));
        }
    }

    [Fact]
    public void The_CA_vouches_only_for_the_gateway_s_names_and_private_addresses_and_lives_ten_years()
    {
        // Issue 29: phones are told to install this CA for the farmers' page; a certificate for a bank's name signed
        // with its key verified. Now the CA carries name constraints — non-critical, because the nodes' mbedTLS refuses a
        // certificate with a critical extension it cannot parse, while OpenSSL (here) applies them either way.
        using var dir = new TempDir();
        GatewayCertificates certs = GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        X509Extension constraints = certs.Ca.Extensions.Cast<X509Extension>().Single(e => e.Oid?.Value == CaNameConstraints.Oid);
        Assert.False(constraints.Critical);
        Assert.Equal(Now.UtcDateTime.AddYears(GatewayCertificates.CaYears).Date, certs.Ca.NotAfter.ToUniversalTime().Date);
        Assert.Contains("localhost", CaNameConstraints.PermittedDnsNames(certs.Ca)!);

        using var ca = X509Certificate2.CreateFromPemFile(Path.Combine(dir.Path, "tls", "ca.crt"), Path.Combine(dir.Path, "tls", "ca.key"));
        Assert.False(Verifies(ca, Forge(ca, "www.vietcombank.com.vn", null)), "a bank's name verified under the gateway CA");
        Assert.False(Verifies(ca, Forge(ca, "localhost", System.Net.IPAddress.Parse("203.113.131.1"))), "a public address verified under the gateway CA");
        Assert.True(Verifies(ca, Forge(ca, "localhost", System.Net.IPAddress.Parse("192.168.1.10"))), "the gateway's own kind of name did not verify");
        Assert.True(Verifies(ca, certs.Server));
    }

    [Fact]
    public void Control_an_unconstrained_CA_vouches_for_a_bank_s_name()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=old gateway CA", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        req.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        using X509Certificate2 old = req.CreateSelfSigned(Now.AddDays(-1), Now.AddYears(25));
        Assert.True(Verifies(old, Forge(old, "www.vietcombank.com.vn", null)));
    }

    private static X509Certificate2 Forge(X509Certificate2 ca, string dns, System.Net.IPAddress? ip)
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var req = new System.Security.Cryptography.X509Certificates.CertificateRequest($"CN={dns}", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dns);
        if (ip != null)
        {
            san.AddIpAddress(ip);
        }

        req.CertificateExtensions.Add(san.Build());
        req.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        return req.Create(ca, Now.AddDays(-1), Now.AddYears(1), [1, 2, 3, 4]);
    }

    private static bool Verifies(X509Certificate2 ca, X509Certificate2 leaf)
    {
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(ca);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddDays(1);
        return chain.Build(leaf);
    }

    [Fact]
    public void A_server_certificate_near_expiry_is_reissued_from_the_same_CA()
    {
        using var dir = new TempDir();
        GatewayCertificates first = GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        GatewayCertificates later = GatewayCertificates.Ensure(dir.Path, "hg-test", Now.AddYears(5).AddDays(-30));
        Assert.Equal(first.Ca.Thumbprint, later.Ca.Thumbprint);
        Assert.NotEqual(first.Server.Thumbprint, later.Server.Thumbprint);
        Assert.Contains("expires soon", later.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void A_missing_CA_key_stops_the_gateway_instead_of_making_a_new_CA()
    {
        using var dir = new TempDir();
        GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        File.Delete(Path.Combine(dir.Path, "tls", "ca.key"));
        var ex = Assert.Throws<InvalidOperationException>(() => GatewayCertificates.Ensure(dir.Path, "hg-test", Now));
        Assert.Contains("ca.crt without ca.key", ex.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(dir.Path, "tls", "ca.key")));
    }

    [Fact]
    public void An_empty_CA_certificate_left_by_a_power_cut_is_made_again_and_nodes_configured_with_the_old_one_still_trust_the_gateway()
    {
        using var dir = new TempDir();
        GatewayCertificates first = GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        string caCrt = Path.Combine(dir.Path, "tls", "ca.crt");
        using X509Certificate2 nodesCopy = X509CertificateLoader.LoadCertificate(first.Ca.RawData);
        File.WriteAllBytes(caCrt, []); // what the cut left

        GatewayCertificates again = GatewayCertificates.Ensure(dir.Path, "hg-test", Now.AddDays(1));
        Assert.Contains("made it again from ca.key", again.Summary, StringComparison.Ordinal);
        Assert.True(new FileInfo(caCrt).Length > 0);

        // A node holding the old ca.crt verifies the server certificate the gateway presents now.
        using var chain = new X509Chain();
        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        chain.ChainPolicy.CustomTrustStore.Add(nodesCopy);
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.VerificationTime = Now.UtcDateTime.AddDays(2);
        Assert.True(chain.Build(again.Server), string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation)));
    }

    [Fact]
    public void A_damaged_CA_key_stops_the_gateway_naming_the_file_and_the_remedy()
    {
        using var dir = new TempDir();
        GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        File.WriteAllText(Path.Combine(dir.Path, "tls", "ca.key"), "-----BEGIN PRIVATE KEY-----\ntruncated");
        var ex = Assert.Throws<InvalidOperationException>(() => GatewayCertificates.Ensure(dir.Path, "hg-test", Now));
        Assert.Contains("ca.key is damaged", ex.Message, StringComparison.Ordinal);
        Assert.Contains("restore it from the backup", ex.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_damaged_server_certificate_is_issued_again_from_the_CA()
    {
        using var dir = new TempDir();
        GatewayCertificates first = GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        File.WriteAllBytes(Path.Combine(dir.Path, "tls", "server.pfx"), [0x30, 0x82]);
        GatewayCertificates again = GatewayCertificates.Ensure(dir.Path, "hg-test", Now);
        Assert.Equal(first.Ca.Thumbprint, again.Ca.Thumbprint);
        Assert.Contains("damaged", again.Summary, StringComparison.Ordinal);
    }

    [Fact]
    public void Files_are_written_whole_with_their_mode_and_leave_no_temporary_file()
    {
        using var dir = new TempDir();
        string file = Path.Combine(dir.Path, "token");
        DurableFile.Write(file, "first"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        DurableFile.Write(file, "second"u8, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.Equal("second", File.ReadAllText(file));
        Assert.Single(Directory.GetFiles(dir.Path));
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        }
    }

    private static IEnumerable<string> SanOf(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses().Select(a => a.ToString()));
}
