// Executable nanoFramework.M2Mqtt 5.1.199 (and its nanoFramework.M2Mqtt.Core types) on the simulated board, over
// MQTTnet's client and a real socket to a real broker on the host. As the library does on the chip: Connect blocks and
// returns the CONNACK's reason code; TLS trusts exactly the CA given and checks the server certificate's validity dates
// against the chip's clock (mbedTLS with MBEDTLS_HAVE_TIME_DATE, as ESP32 nanoFramework builds are configured), so an
// unset clock refuses the gateway's certificate; Publish returns the message id and MqttMsgPublished reports the PUBACK.
// The sockets die with the program run and with the Wi-Fi.
using System;
using System.Buffers;
using System.Collections;
using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using EdgeSensors.Device.Simulator.Board;
using EdgeSensors.Device.Simulator.Runtime;
using MQTTnet;
using MQTTnet.Protocol;

namespace nanoFramework.M2Mqtt.Messages
{
    public class MqttMsgPublishEventArgs : EventArgs
    {
        public MqttMsgPublishEventArgs(string topic, byte[] message, bool dupFlag, MqttQoSLevel qosLevel, bool retain)
        {
            Topic = topic;
            Message = message;
            DupFlag = dupFlag;
            QosLevel = qosLevel;
            Retain = retain;
        }

        public string Topic { get; internal set; }

        public byte[] Message { get; internal set; }

        public bool DupFlag { get; internal set; }

        public MqttQoSLevel QosLevel { get; internal set; }

        public bool Retain { get; internal set; }
    }

    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public MqttMsgPublishedEventArgs(ushort messageId, bool isPublished)
        {
            MessageId = messageId;
            IsPublished = isPublished;
        }

        public ushort MessageId { get; internal set; }

        public bool IsPublished { get; internal set; }
    }
}

namespace nanoFramework.M2Mqtt
{
    using nanoFramework.M2Mqtt.Messages;

    public interface IMqttClient
    {
        delegate void MqttMsgPublishEventHandler(object sender, MqttMsgPublishEventArgs e);

        delegate void MqttMsgPublishedEventHandler(object sender, MqttMsgPublishedEventArgs e);
    }

    public class MqttClient : IMqttClient, IDisposable
    {
        private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);
        private readonly BoardRun _run;
        private readonly string _host;
        private readonly int _port;
        private readonly bool _secure;
        private readonly NanoX509Certificate? _ca;
        private readonly MQTTnet.IMqttClient _client;
        private int _messageId;

        public MqttClient(string brokerHostName, int brokerPort, bool secure, NanoX509Certificate caCert, NanoX509Certificate clientCert, MqttSslProtocols sslProtocol)
        {
            _run = BoardRun.Live;
            _host = brokerHostName;
            _port = brokerPort;
            _secure = secure;
            _ca = caCert;
            _ = clientCert;
            if (secure && sslProtocol == MqttSslProtocols.None)
            {
                throw new ArgumentException("a secure connection needs an SSL protocol");
            }

            _client = new MqttClientFactory().CreateMqttClient();
            _client.ApplicationMessageReceivedAsync += OnReceivedAsync;
            _run.Track(this);
            _run.LinkLost += Drop;
        }

        public event IMqttClient.MqttMsgPublishEventHandler? MqttMsgPublishReceived;

        public event IMqttClient.MqttMsgPublishedEventHandler? MqttMsgPublished;

        public bool IsConnected => _client.IsConnected;

        public MqttProtocolVersion ProtocolVersion { get; set; } = MqttProtocolVersion.Version_3_1_1;

        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel, bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod)
        {
            _run.Check();
            if (!_run.WifiJoined)
            {
                throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.NetworkUnreachable);
            }

            var builder = new MqttClientOptionsBuilder()
                .WithTcpServer(_host, _port)
                .WithClientId(clientId)
                .WithCredentials(username, password)
                .WithProtocolVersion(ProtocolVersion == MqttProtocolVersion.Version_5 ? MQTTnet.Formatter.MqttProtocolVersion.V500 : MQTTnet.Formatter.MqttProtocolVersion.V311)
                .WithCleanSession(cleanSession)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(keepAlivePeriod))
                .WithTimeout(ConnectTimeout);
            if (willFlag)
            {
                builder = builder.WithWillTopic(willTopic).WithWillPayload(System.Text.Encoding.UTF8.GetBytes(willMessage))
                    .WithWillRetain(willRetain).WithWillQualityOfServiceLevel((MqttQualityOfServiceLevel)(int)willQosLevel);
            }

            if (_secure)
            {
                builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(_host).WithCertificateValidationHandler(ValidateServer));
            }

            try
            {
                MqttClientConnectResult result = _client.ConnectAsync(builder.Build(), _run.HaltedToken).GetAwaiter().GetResult();
                _run.Check();
                _run.Board.Record("mqtt_connect", "CONNACK " + result.ResultCode, _run);
                return (MqttReasonCode)(int)result.ResultCode;
            }
            catch (MQTTnet.Adapter.MqttConnectingFailedException e)
            {
                // MQTTnet throws on a refused CONNACK; M2Mqtt returns the reason code. Its property name differs between
                // MQTTnet releases, so the code is read by reflection.
                object? code = e.GetType().GetProperty("ResultCode")?.GetValue(e) ?? (e.GetType().GetProperty("Result")?.GetValue(e) is MqttClientConnectResult r ? r.ResultCode : null);
                _run.Board.Record("mqtt_connect", "refused: " + (code?.ToString() ?? e.Message), _run);
                return code == null ? (MqttReasonCode)0x80 : (MqttReasonCode)Convert.ToInt32(code, System.Globalization.CultureInfo.InvariantCulture);
            }
            catch (OperationCanceledException)
            {
                throw new ProgramHaltedException();
            }
        }

        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain)
        {
            _run.Check();
            _ = userProperties;
            if (!_client.IsConnected)
            {
                throw new InvalidOperationException("not connected");
            }

            ushort id = (ushort)((Interlocked.Increment(ref _messageId) % 65535) + 1);
            var msg = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(message).WithContentType(contentType)
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)(int)qosLevel).WithRetainFlag(retain).Build();
            _run.Board.Record("publish", topic, _run, topic, message);
            BoardRun run = _run;
            _ = _client.PublishAsync(msg, CancellationToken.None).ContinueWith(
                t =>
                {
                    bool ok = t.IsCompletedSuccessfully && t.Result.IsSuccess;
                    BoardRun.Enter(run);
                    if (run.Halt != HaltKind.None || !ok)
                    {
                        return;
                    }

                    MqttMsgPublished?.Invoke(this, new MqttMsgPublishedEventArgs(id, true));
                },
                TaskScheduler.Default);
            return id;
        }

        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels)
        {
            _run.Check();
            var options = new MqttClientSubscribeOptionsBuilder();
            for (int i = 0; i < topics.Length; i++)
            {
                options = options.WithTopicFilter(topics[i], (MqttQualityOfServiceLevel)(int)qosLevels[i]);
            }

            _client.SubscribeAsync(options.Build(), _run.HaltedToken).GetAwaiter().GetResult();
            return (ushort)((Interlocked.Increment(ref _messageId) % 65535) + 1);
        }

        public void Disconnect()
        {
            _run.Check();
            if (_client.IsConnected)
            {
                _client.DisconnectAsync().GetAwaiter().GetResult();
            }
        }

        public void Dispose()
        {
            _run.LinkLost -= Drop;
            _run.Untrack(this);
            _client.Dispose();
        }

        /// <summary>The radio or the power went: the socket dies without a DISCONNECT, so the broker sends the will.</summary>
        private void Drop() => _client.Dispose();

        private bool ValidateServer(MqttClientCertificateValidationEventArgs context)
        {
            if (_ca?.Certificates == null || context.Certificate == null)
            {
                _run.Board.Record("tls_refused", "no CA to verify the server with", _run);
                return false;
            }

            using var chain = new X509Chain();
            chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            chain.ChainPolicy.CustomTrustStore.AddRange(_ca.Certificates);
            chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;

            // mbedTLS checks the validity dates against time(): the chip's RTC, unset (1970) until SNTP answers.
            chain.ChainPolicy.VerificationTime = _run.Board.Clock.RtcUtc;
            using var server = X509CertificateLoader.LoadCertificate(context.Certificate.GetRawCertData());
            bool trusted = chain.Build(server);
            bool nameOk = (context.SslPolicyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) == 0;
            if (!trusted || !nameOk)
            {
                string why = !nameOk ? "certificate name does not match " + _host : string.Join(", ", Array.ConvertAll(chain.ChainStatus, s => s.Status.ToString()));
                _run.Board.Record("tls_refused", why + " (chip clock " + _run.Board.Clock.RtcUtc.ToString("u") + ")", _run);
                return false;
            }

            return true;
        }

        private Task OnReceivedAsync(MqttApplicationMessageReceivedEventArgs e)
        {
            BoardRun.Enter(_run);
            if (_run.Halt == HaltKind.None)
            {
                byte[] payload = e.ApplicationMessage.Payload.ToArray();
                MqttMsgPublishReceived?.Invoke(this, new MqttMsgPublishEventArgs(e.ApplicationMessage.Topic, payload, e.ApplicationMessage.Dup, (MqttQoSLevel)(int)e.ApplicationMessage.QualityOfServiceLevel, e.ApplicationMessage.Retain));
            }

            return Task.CompletedTask;
        }
    }
}
