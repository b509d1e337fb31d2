using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using EdgeSensors.Gateway.Broker;
using EdgeSensors.Gateway.Options;
using MQTTnet.Channel;

namespace EdgeSensors.Gateway.Uplink.Mqtt;

/// <summary>
/// The uplink's connection to the IOC's broker: TCP, TLS (with the uplink's private trust, client certificate and
/// protocols), and the MQTT framing guard on the decrypted bytes, so a packet over
/// <see cref="UplinkOptions.MaxIncomingPacketBytes"/> is refused from its fixed header and never read into memory.
/// MQTTnet's client has no incoming size limit and its stream-provider hook sits under its own TLS, so TLS is done
/// here (MQTTnet's own TLS is then off): TLS 1.2/1.3, the uplink's CA or pin, its client certificate.
/// </summary>
public sealed class GuardedUplinkStreamProvider(UplinkOptions options, string? targetHost) : IMqttClientStreamProvider
{
    public async Task<Stream> ConnectAsync(EndPoint brokerEndPoint, CancellationToken cancellationToken)
    {
        // 1 MiB socket buffers as measured in the bench (MqttIocUplink.UplinkSocketBufferBytes): MQTTnet's 8 KiB
        // default would switch off window scaling.
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp)
        {
            NoDelay = true,
            SendBufferSize = MqttIocUplink.UplinkSocketBufferBytes,
            ReceiveBufferSize = MqttIocUplink.UplinkSocketBufferBytes,
        };
        Stream stream;
        try
        {
            await socket.ConnectAsync(brokerEndPoint, cancellationToken).ConfigureAwait(false);
            stream = new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        if (options.UsesTls)
        {
            var trust = new Transport.PrivateTrust(options.CaCertificatePath, options.PinnedCertificateSha256);
            var ssl = new SslStream(stream, leaveInnerStreamOpen: false, (_, certificate, _, errors) => trust.IsCustom ? trust.Validate(certificate, errors) : errors == SslPolicyErrors.None);
            var auth = new SslClientAuthenticationOptions
            {
                TargetHost = targetHost,
                EnabledSslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
            };
            if (!string.IsNullOrEmpty(options.ClientCertificatePath))
            {
                auth.ClientCertificates = [X509CertificateLoader.LoadPkcs12FromFile(options.ClientCertificatePath, options.ClientCertificatePassword)];
            }

            try
            {
                await ssl.AuthenticateAsClientAsync(auth, cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                await ssl.DisposeAsync().ConfigureAwait(false);
                throw;
            }

            stream = ssl;
        }

        return new MqttFramingGuardStream(stream, options.MaxIncomingPacketBytes, options.MaxIncomingPacketBytes, expectConnect: false);
    }
}
