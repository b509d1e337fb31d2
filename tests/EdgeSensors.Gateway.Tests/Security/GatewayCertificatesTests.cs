using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Security;
using EdgeSensors.Gateway.Tests.Fixtures;

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

    private static IEnumerable<string> SanOf(X509Certificate2 cert) =>
        cert.Extensions.OfType<X509SubjectAlternativeNameExtension>().SelectMany(e => e.EnumerateIPAddresses().Select(a => a.ToString()));
}
