using System.Formats.Asn1;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Security;

namespace EdgeSensors.Gateway.Transport;

/// <summary>
/// The X.509 name constraints (RFC 5280 §4.2.1.10, OID 2.5.29.30) of the gateway's CA: it may vouch only for the
/// gateway's own host name, "localhost", names under ".local", and private, loopback and link-local addresses — so a
/// phone told to install the CA for the farmers' page does not thereby trust it for a bank's name (issue 29: a
/// certificate for a bank's name signed with the CA's key verified). .NET has no builder for this extension; it is
/// encoded here with <see cref="AsnWriter"/> (DER), and read back with <see cref="AsnReader"/>.
/// <para>
/// Marked <b>non-critical</b>, as the CA/Browser Forum allows for name-constrained CAs: the nodes' TLS (mbedTLS in the
/// ESP32 firmware) has no parser for name constraints and refuses a certificate with a critical extension it cannot
/// parse (x509_crt.c, "Data is marked as critical: fail"), which would cut off every node. OpenSSL, .NET, browsers and
/// Android apply the constraints whether or not they are critical; a node trusts this CA for its gateway only anyway.
/// </para>
/// </summary>
public static class CaNameConstraints
{
    public const string Oid = "2.5.29.30";

    /// <summary>Address ranges the CA may vouch for: private (RFC 1918), carrier-grade NAT (4G routers), loopback, link-local, unique-local.</summary>
    public static readonly (IPAddress Network, int Prefix)[] Ranges =
    [
        (IPAddress.Parse("10.0.0.0"), 8), (IPAddress.Parse("172.16.0.0"), 12), (IPAddress.Parse("192.168.0.0"), 16),
        (IPAddress.Parse("100.64.0.0"), 10), (IPAddress.Parse("127.0.0.0"), 8), (IPAddress.Parse("169.254.0.0"), 16),
        (IPAddress.IPv6Loopback, 128), (IPAddress.Parse("fc00::"), 7), (IPAddress.Parse("fe80::"), 10),
    ];

    /// <summary>The (non-critical) extension permitting <paramref name="hostName"/>, localhost, ".local" names and <see cref="Ranges"/>.</summary>
    public static X509Extension Build(string hostName)
    {
        var w = new AsnWriter(AsnEncodingRules.DER);
        using (w.PushSequence())
        {
            using (w.PushSequence(new Asn1Tag(TagClass.ContextSpecific, 0))) // permittedSubtrees
            {
                foreach (string name in PermittedNames(hostName))
                {
                    using (w.PushSequence())
                    {
                        w.WriteCharacterString(UniversalTagNumber.IA5String, name, new Asn1Tag(TagClass.ContextSpecific, 2)); // dNSName
                    }
                }

                foreach ((IPAddress network, int prefix) in Ranges)
                {
                    byte[] address = network.GetAddressBytes();
                    byte[] mask = new byte[address.Length];
                    for (int i = 0; i < prefix; i++)
                    {
                        mask[i / 8] |= (byte)(0x80 >> (i % 8));
                    }

                    using (w.PushSequence())
                    {
                        w.WriteOctetString([.. address, .. mask], new Asn1Tag(TagClass.ContextSpecific, 7)); // iPAddress
                    }
                }
            }
        }

        return new X509Extension(Oid, w.Encode(), critical: false);
    }

    /// <summary>The DNS names the CA permits, or null when it has no name constraints (a CA made before issue 29).</summary>
    public static IReadOnlyList<string>? PermittedDnsNames(X509Certificate2 ca)
    {
        X509Extension? ext = ca.Extensions.Cast<X509Extension>().FirstOrDefault(e => e.Oid?.Value == Oid);
        if (ext == null)
        {
            return null;
        }

        var names = new List<string>();
        try
        {
            AsnReader permitted = new AsnReader(ext.RawData, AsnEncodingRules.DER).ReadSequence().ReadSequence(new Asn1Tag(TagClass.ContextSpecific, 0));
            while (permitted.HasData)
            {
                AsnReader subtree = permitted.ReadSequence();
                if (subtree.PeekTag() == new Asn1Tag(TagClass.ContextSpecific, 2))
                {
                    names.Add(subtree.ReadCharacterString(UniversalTagNumber.IA5String, new Asn1Tag(TagClass.ContextSpecific, 2)));
                }
            }
        }
        catch (AsnContentException e)
        {
            throw new CryptographicException("the CA's name constraints cannot be read: " + e.Message, e);
        }

        return names;
    }

    /// <summary>Whether <paramref name="name"/> lies within <paramref name="permitted"/> (RFC 5280: the name itself or a subdomain).</summary>
    public static bool Permits(IReadOnlyList<string>? permitted, string name) =>
        permitted == null || permitted.Any(p => string.Equals(name, p, StringComparison.OrdinalIgnoreCase) || name.EndsWith("." + p, StringComparison.OrdinalIgnoreCase));

    /// <summary>Whether <paramref name="address"/> lies within <see cref="Ranges"/>.</summary>
    public static bool Permits(IPAddress address)
    {
        IPAddress a = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        byte[] bytes = a.GetAddressBytes();
        foreach ((IPAddress network, int prefix) in Ranges)
        {
            byte[] n = network.GetAddressBytes();
            if (n.Length != bytes.Length)
            {
                continue;
            }

            bool inside = true;
            for (int i = 0; i < prefix && inside; i++)
            {
                int bit = 0x80 >> (i % 8);
                inside = (bytes[i / 8] & bit) == (n[i / 8] & bit);
            }

            if (inside)
            {
                return true;
            }
        }

        return false;
    }

    private static IEnumerable<string> PermittedNames(string hostName) =>
        new[] { hostName, "localhost", "local" }.Where(n => n.Length > 0 && Uri.CheckHostName(n) == UriHostNameType.Dns).Distinct(StringComparer.OrdinalIgnoreCase);
}
