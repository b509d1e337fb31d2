using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Options;
using MQTTnet;

namespace EdgeSensors.Gateway.Uplink;

/// <summary>What both MQTT-based uplink adapters (a standard broker, IoT Hub) do the same way: TLS trust and a quiet disconnect.</summary>
internal static class MqttUplinkLink
{
    /// <summary>TLS to <paramref name="targetHost"/>: a client certificate if configured, and a private CA or a pinned certificate if configured (the system store otherwise).</summary>
    public static void ConfigureTls(MqttClientTlsOptionsBuilder tls, string? targetHost, UplinkOptions options)
    {
        tls.UseTls(true).WithTargetHost(targetHost).WithSslProtocols(System.Security.Authentication.SslProtocols.Tls12 | System.Security.Authentication.SslProtocols.Tls13);
        if (!string.IsNullOrEmpty(options.ClientCertificatePath))
        {
            tls.WithClientCertificates([X509CertificateLoader.LoadPkcs12FromFile(options.ClientCertificatePath, options.ClientCertificatePassword)]);
        }

        var trust = new Security.PrivateTrust(options.CaCertificatePath, options.PinnedCertificateSha256);
        if (trust.IsCustom)
        {
            tls.WithCertificateValidationHandler(ctx => trust.Validate(ctx.Certificate, ctx.SslPolicyErrors));
        }
    }

    /// <summary>Disconnects if connected; a link already gone is not an error.</summary>
    public static async Task DisconnectQuietlyAsync(IMqttClient client)
    {
        try
        {
            if (client.IsConnected)
            {
                await client.DisconnectAsync().ConfigureAwait(false);
            }
        }
        catch (MQTTnet.Exceptions.MqttCommunicationException)
        {
            // Already gone.
        }
    }
}
