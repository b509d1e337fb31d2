using System;
using System.Collections;
using System.Diagnostics;
using System.Device.Wifi;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Protocol;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;
using nanoFramework.Networking;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// The node cycle's transport over Wi-Fi (DHCP, with a timeout), SNTP and nanoFramework.M2Mqtt (MQTT 5, credentials,
    /// retained last will on the status topic, QoS 1 publishes, the retained config subscription). Connecting blocks
    /// on the device's single thread; publishes report their PUBACK through the MqttMsgPublished event.
    /// When asked to (a cold start, a battery node's periodic refresh, or after a failed attempt) it scans before
    /// connecting and takes the signal strength of the node's own network from that scan: nanoFramework has no call
    /// for the RSSI of the current connection.
    /// </summary>
    public sealed class M2MqttTransport : INodeTransport
    {
        /// <summary>How long a TLS connection waits for SNTP to set the clock after Wi-Fi is up, ms.</summary>
        public const int ClockWaitMs = 10000;

        private readonly string _ssid;
        private readonly INodeClock _clock;
        private readonly string _wifiPassword;
        private readonly ArrayList _acked = new ArrayList();
        private readonly ArrayList _config = new ArrayList();
        private MqttClient? _client;
        private TransportState _state;
        private bool _scan;
        private bool _timeStarted;

        public M2MqttTransport(string ssid, string wifiPassword, bool scanFirst, INodeClock clock)
        {
            _ssid = ssid;
            _clock = clock;
            _wifiPassword = wifiPassword;
            _scan = scanFirst;
        }

        /// <summary>Signal strength of the node's network from the last scan, dBm; 0 when not measured this wake.</summary>
        public int RssiDbm { get; private set; }

        public TransportState State => _client != null && !_client.IsConnected && _state == TransportState.Connected ? TransportState.Disconnected : _state;

        public void BeginConnect(ConnectRequest request)
        {
            _state = TransportState.Connecting;
            try
            {
                var cts = new CancellationTokenSource(15000);
                bool scanned = _scan;
                bool up = scanned
                    ? WifiNetworkHelper.ScanAndConnectDhcp(_ssid, _wifiPassword, WifiReconnectionKind.Automatic, false, 0, cts.Token)
                    : WifiNetworkHelper.ConnectDhcp(_ssid, _wifiPassword, WifiReconnectionKind.Automatic, false, 0, cts.Token);
                if (scanned)
                {
                    RssiDbm = MeasuredRssi();
                    _scan = false;
                }

                if (!up)
                {
                    // The signal matters most when the link fails: measure it on the next attempt.
                    _scan = true;
                    _state = TransportState.Failed;
                    return;
                }

                StartTime(request.Host);
                if (request.Tls && !AwaitClock())
                {
                    // mbedTLS checks the gateway certificate's validity dates against the RTC: with the clock unset
                    // (1970 after a power-on) the handshake would fail. No time, no TLS: the readings wait in the
                    // outbox and the cycle backs off and tries again (the gateway serves NTP, see deploy/install.sh).
                    Debug.WriteLine("EdgeSensors node: no time from SNTP (" + request.Host + ") yet; TLS waits for it");
                    _state = TransportState.Failed;
                    return;
                }

                // The gateway's own CA (written into node.json by `edgesensors node config`): the node trusts only it.
                X509Certificate ca = request.Tls && request.CaPem != null ? new X509Certificate(request.CaPem) : null!;
                var client = new MqttClient(request.Host, request.Port, request.Tls, ca, null!, request.Tls ? MqttSslProtocols.TLSv1_2 : MqttSslProtocols.None);
                client.ProtocolVersion = MqttProtocolVersion.Version_5;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgPublishReceived += OnReceived;
                string? will = Utf8.Decode(request.WillPayload, 0, request.WillPayload.Length);
                MqttReasonCode code = client.Connect(request.ClientId, request.Username, request.Password, true, MqttQoSLevel.AtLeastOnce, true, request.WillTopic, will ?? string.Empty, true, 60);
                if (code != MqttReasonCode.Success)
                {
                    _state = TransportState.Failed;
                    return;
                }

                client.Subscribe(new[] { request.ConfigTopic }, new[] { MqttQoSLevel.AtLeastOnce });
                _client = client;
                _state = TransportState.Connected;
            }
            catch (Exception)
            {
                _state = TransportState.Failed;
            }
        }

        public int Publish(string topic, byte[] payload, bool retain)
        {
            if (_client == null || !_client.IsConnected)
            {
                return -1;
            }

            try
            {
                return _client.Publish(topic, payload, "application/json", null!, MqttQoSLevel.AtLeastOnce, retain);
            }
            catch (Exception)
            {
                return -1;
            }
        }

        public PublishState GetPublishState(int token)
        {
            lock (_acked)
            {
                int i = _acked.IndexOf((ushort)token);
                if (i >= 0)
                {
                    _acked.RemoveAt(i);
                    return PublishState.Acknowledged;
                }
            }

            return _client != null && _client.IsConnected ? PublishState.Pending : PublishState.Failed;
        }

        public byte[]? TakeConfigMessage()
        {
            lock (_config)
            {
                if (_config.Count == 0)
                {
                    return null;
                }

                byte[] m = (byte[])_config[0]!;
                _config.RemoveAt(0);
                return m;
            }
        }

        public void Disconnect()
        {
            try
            {
                if (_client != null && _client.IsConnected)
                {
                    _client.Disconnect();
                }
            }
            catch (Exception)
            {
                // Already gone.
            }

            _client = null;
            _state = TransportState.Disconnected;
        }

        /// <summary>
        /// Network time without waiting for it: the canal-side Wi-Fi often has no internet, so the gateway (which
        /// serves NTP to its LAN, see deploy/install.sh) is the first SNTP server and the public pool the second.
        /// Readings taken before the clock is set go out with sync:false and the gateway stamps them on receipt.
        /// </summary>
        private void StartTime(string gatewayHost)
        {
            if (_timeStarted)
            {
                return;
            }

            Sntp.Server1 = gatewayHost;
            if (Sntp.IsStarted)
            {
                Sntp.UpdateNow();
            }
            else
            {
                Sntp.Start();
            }

            _timeStarted = true;
        }

        /// <summary>Waits up to <see cref="ClockWaitMs"/> for SNTP to set the RTC; true when it is set.</summary>
        private bool AwaitClock()
        {
            long until = _clock.MonotonicMs + ClockWaitMs;
            while (!_clock.IsSynchronized)
            {
                if (_clock.MonotonicMs >= until)
                {
                    return false;
                }

                Thread.Sleep(100);
            }

            return true;
        }

        private int MeasuredRssi()
        {
            WifiAdapter? adapter = WifiNetworkHelper.WifiAdapter;
            if (adapter == null)
            {
                return 0;
            }

            int best = 0;
            foreach (WifiAvailableNetwork network in adapter.NetworkReport.AvailableNetworks)
            {
                // The native report pads the SSID to 33 bytes.
                int rssi = (int)network.NetworkRssiInDecibelMilliwatts;
                if (network.Ssid.TrimEnd('\0') == _ssid && rssi < 0 && (best == 0 || rssi > best))
                {
                    best = rssi;
                }
            }

            return best;
        }

        private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
        {
            if (e.IsPublished)
            {
                lock (_acked)
                {
                    _acked.Add(e.MessageId);
                }
            }
        }

        private void OnReceived(object sender, MqttMsgPublishEventArgs e)
        {
            lock (_config)
            {
                _config.Add(e.Message);
            }
        }
    }
}
