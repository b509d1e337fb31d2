using System;
using System.Security.Cryptography.X509Certificates;

namespace EdgeSensors.Device.Simulator.Runtime;

/// <summary>
/// nanoFramework's <c>X509Certificate(string)</c> (System.Net): a certificate from its PEM text. Desktop .NET's
/// constructor of the same shape takes a file name, so the board has its own.
/// </summary>
public class NanoX509Certificate
{
    public NanoX509Certificate()
    {
    }

    public NanoX509Certificate(string certificate)
    {
        Pem = certificate ?? throw new ArgumentNullException(nameof(certificate));

        // As mbedTLS's x509_crt_parse does: a certificate that does not parse is refused here, not at connect time.
        Certificates = [];
        Certificates.ImportFromPem(certificate);
        if (Certificates.Count == 0)
        {
            throw new ArgumentException("no certificate in the PEM text", nameof(certificate));
        }
    }

    internal string? Pem { get; }

    internal X509Certificate2Collection? Certificates { get; }
}
