using System.Collections.Concurrent;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>
/// A local stand-in for Azure IoT Hub's device endpoint, checking what IoT Hub's MQTT and security documentation say
/// it checks — written from those documents, not from the gateway's code:
/// - TLS only (a certificate from the test CA for "localhost" and 127.0.0.1); MQTT 3.1.1;
/// - client id = device id; username "{hub}/{device}/?api-version={version}";
/// - password "SharedAccessSignature sr=…&amp;sig=…&amp;se=…": sr names "{hub}/devices/{device}", se is in the
///   future, sig is the base64 HMAC-SHA256 with the device key of "{sr as sent}\n{se}"; the connection is closed when
///   the token expires;
/// - keep-alive at most 1177 s; publishes only to "devices/{device}/messages/events/{property bag}"; subscriptions
///   only to "devices/{device}/messages/devicebound/#"; a message over 256 KB (payload and properties) closes the
///   connection; more than <see cref="ThrottlePerSecond"/> sends in a second is throttled (connection closed).
/// </summary>
public sealed class FakeIotHub : IAsyncDisposable
{
    public const int MessageLimit = 256 * 1024;
    private static readonly string[] ApiVersions = ["2021-04-12", "2020-09-30", "2019-10-01", "2018-06-30"];
    private readonly byte[] _key;
    private readonly ConcurrentDictionary<string, DateTimeOffset> _expiry = new();
    private readonly CancellationTokenSource _stop = new();
    private MqttServer? _server;
    private Task? _expiryWatch;
    private long _second;
    private int _sendsThisSecond;

    public FakeIotHub(TlsFiles tls, string deviceId, byte[] key, string hostName = "localhost")
    {
        Tls = tls;
        DeviceId = deviceId;
        HostName = hostName;
        _key = key;
        Port = FreePort.Next();
    }

    public TlsFiles Tls { get; }

    public string DeviceId { get; }

    public string HostName { get; }

    public int Port { get; private set; }

    /// <summary>The connection string of the device, as the Azure portal shows it.</summary>
    public string ConnectionString => $"HostName={HostName};DeviceId={DeviceId};SharedAccessKey={Convert.ToBase64String(_key)}";

    public int ThrottlePerSecond { get; set; } = 100;

    /// <summary>Refused connects, with the reason.</summary>
    public ConcurrentQueue<string> Refusals { get; } = new();

    /// <summary>Every token accepted (distinct passwords = distinct tokens).</summary>
    public ConcurrentDictionary<string, DateTimeOffset> TokensAccepted { get; } = new();

    private int _expiredDisconnects;

    public int ExpiredDisconnects => Volatile.Read(ref _expiredDisconnects);

    private int _oversize;

    public int Oversize => Volatile.Read(ref _oversize);

    private int _throttled;

    public int Throttled => Volatile.Read(ref _throttled);

    private int _forbiddenPublishes;

    public int ForbiddenPublishes => Volatile.Read(ref _forbiddenPublishes);

    /// <summary>Device-to-cloud messages: properties and body.</summary>
    public ConcurrentQueue<(IReadOnlyDictionary<string, string> Properties, byte[] Body)> Messages { get; } = new();

    /// <summary>How many times each (node, boot, seq) arrived in readings messages.</summary>
    public ConcurrentDictionary<(string Node, uint Boot, uint Seq), int> ReadingCounts { get; } = new();

    /// <summary>Cloud-to-device message ids the device completed (PUBACK).</summary>
    public ConcurrentQueue<string> Completed { get; } = new();

    private int _largestMessage;

    public int LargestMessage => Volatile.Read(ref _largestMessage);

    public async Task StartAsync()
    {
        X509Certificate2 cert = X509CertificateLoader.LoadPkcs12FromFile(Tls.Pfx, Tls.PfxPassword);
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithEncryptedEndpoint()
            .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
            .WithEncryptedEndpointPort(Port)
            .WithEncryptionCertificate(cert)
            .WithPersistentSessions()
            .Build();
        _server = new MqttServerFactory().CreateMqttServer(options);
        _server.ValidatingConnectionAsync += Validate;
        _server.InterceptingPublishAsync += InterceptPublish;
        _server.InterceptingSubscriptionAsync += e =>
        {
            if (e.TopicFilter.Topic != $"devices/{DeviceId}/messages/devicebound/#")
            {
                e.ProcessSubscription = false;
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
            }

            return Task.CompletedTask;
        };
        _server.ClientAcknowledgedPublishPacketAsync += e =>
        {
            string topic = e.PublishPacket.Topic;
            int at = topic.IndexOf("$.mid=", StringComparison.Ordinal);
            if (at >= 0)
            {
                Completed.Enqueue(Uri.UnescapeDataString(topic[(at + 6)..].Split('&')[0]));
            }

            return Task.CompletedTask;
        };
        _server.ClientDisconnectedAsync += e =>
        {
            _expiry.TryRemove(e.ClientId, out _);
            return Task.CompletedTask;
        };
        await _server.StartAsync();
        _expiryWatch = Task.Run(WatchExpiryAsync);
    }

    /// <summary>Stops listening (an outage); <see cref="StartAsync"/> again to come back on the same port.</summary>
    public async Task StopAsync()
    {
        if (_server != null)
        {
            await _server.StopAsync();
            _server.Dispose();
            _server = null;
        }
    }

    /// <summary>Sends a cloud-to-device message, as the service SDK's SendAsync would, with a message id.</summary>
    public async Task SendCloudToDeviceAsync(string messageId, string body)
    {
        string topic = $"devices/{DeviceId}/messages/devicebound/%24.mid={Uri.EscapeDataString(messageId)}&%24.to={Uri.EscapeDataString($"/devices/{DeviceId}/messages/deviceBound")}";
        topic = topic.Replace("%24.mid", "$.mid", StringComparison.Ordinal).Replace("%24.to", "$.to", StringComparison.Ordinal);
        var message = new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(body).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build();
        await _server!.InjectApplicationMessage(new InjectedMqttApplicationMessage(message) { SenderClientId = "$iothub" });
    }

    /// <summary>Checks a connect as IoT Hub does; null when accepted, or the reason.</summary>
    public string? Check(string clientId, string? username, string? password, ushort keepAlive, DateTimeOffset now)
    {
        if (clientId != DeviceId)
        {
            return "client id is not the device id";
        }

        string prefix = $"{HostName}/{DeviceId}/?api-version=";
        if (username == null || !username.StartsWith(prefix, StringComparison.Ordinal) || !ApiVersions.Contains(username[prefix.Length..]))
        {
            return $"username is not {prefix}{{a supported api-version}}";
        }

        if (keepAlive > 1177)
        {
            return "keep-alive over 1177 s";
        }

        const string scheme = "SharedAccessSignature ";
        if (password == null || !password.StartsWith(scheme, StringComparison.Ordinal))
        {
            return "password is not a SharedAccessSignature";
        }

        var fields = password[scheme.Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!fields.TryGetValue("sr", out string? sr) || !fields.TryGetValue("sig", out string? sig) || !fields.TryGetValue("se", out string? se))
        {
            return "token lacks sr, sig or se";
        }

        if (!string.Equals(Uri.UnescapeDataString(sr), $"{HostName}/devices/{DeviceId}", StringComparison.OrdinalIgnoreCase))
        {
            return "token is for another resource";
        }

        if (!long.TryParse(se, out long expiry) || DateTimeOffset.FromUnixTimeSeconds(expiry) <= now)
        {
            return "token expired";
        }

        byte[] expected = HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(sr + "\n" + se));
        byte[] given;
        try
        {
            given = Convert.FromBase64String(WebUtility.UrlDecode(sig));
        }
        catch (FormatException)
        {
            return "signature is not base64";
        }

        return CryptographicOperations.FixedTimeEquals(expected, given) ? null : "signature does not match the device key";
    }

    private Task Validate(ValidatingConnectionEventArgs e)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        string? refused = Check(e.ClientId, e.UserName, e.Password, (ushort)(e.KeepAlivePeriod ?? 0), now);
        if (refused != null)
        {
            Refusals.Enqueue(refused);
            e.ReasonCode = refused.StartsWith("client id", StringComparison.Ordinal) ? MqttConnectReasonCode.ClientIdentifierNotValid
                : refused.StartsWith("username", StringComparison.Ordinal) || refused.StartsWith("keep", StringComparison.Ordinal) ? MqttConnectReasonCode.BadUserNameOrPassword
                : MqttConnectReasonCode.NotAuthorized;
            return Task.CompletedTask;
        }

        string se = e.Password!.Split("se=")[1].Split('&')[0];
        DateTimeOffset expiry = DateTimeOffset.FromUnixTimeSeconds(long.Parse(se, System.Globalization.CultureInfo.InvariantCulture));
        _expiry[e.ClientId] = expiry;
        TokensAccepted.TryAdd(e.Password, expiry);
        e.ReasonCode = MqttConnectReasonCode.Success;
        return Task.CompletedTask;
    }

    private async Task InterceptPublish(InterceptingPublishEventArgs e)
    {
        if (e.ClientId == "$iothub" || string.IsNullOrEmpty(e.ClientId))
        {
            return; // our own cloud-to-device message
        }

        string topic = e.ApplicationMessage.Topic;
        string prefix = $"devices/{DeviceId}/messages/events/";
        e.ProcessPublish = false; // nothing is routed back to devices
        if (!topic.StartsWith(prefix, StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _forbiddenPublishes);
            e.CloseConnection = true;
            return;
        }

        int size = (int)e.ApplicationMessage.Payload.Length + Encoding.UTF8.GetByteCount(topic);
        if (size > MessageLimit)
        {
            Interlocked.Increment(ref _oversize);
            e.CloseConnection = true;
            return;
        }

        long second = Environment.TickCount64 / 1000;
        if (Interlocked.Exchange(ref _second, second) != second)
        {
            Interlocked.Exchange(ref _sendsThisSecond, 0);
        }

        if (Interlocked.Increment(ref _sendsThisSecond) > ThrottlePerSecond)
        {
            Interlocked.Increment(ref _throttled);
            e.CloseConnection = true;
            return;
        }

        InterlockedMax(ref _largestMessage, size);
        var properties = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (string pair in topic[prefix.Length..].Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            string[] kv = pair.Split('=', 2);
            properties[Uri.UnescapeDataString(kv[0])] = kv.Length > 1 ? Uri.UnescapeDataString(kv[1]) : string.Empty;
        }

        byte[] body = System.Buffers.BuffersExtensions.ToArray(e.ApplicationMessage.Payload);
        Messages.Enqueue((properties, body));
        if (properties.GetValueOrDefault("kind") == "readings" && properties.GetValueOrDefault("schema") == "edgesensors-v1")
        {
            using JsonDocument doc = JsonDocument.Parse(body);
            string node = doc.RootElement.GetProperty("node").GetString()!;
            foreach (JsonElement r in doc.RootElement.GetProperty("readings").EnumerateArray())
            {
                ReadingCounts.AddOrUpdate((node, r.GetProperty("boot").GetUInt32(), r.GetProperty("seq").GetUInt32()), 1, (_, n) => n + 1);
            }
        }

        await Task.CompletedTask;
    }

    private async Task WatchExpiryAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(200, _stop.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }

            foreach ((string client, DateTimeOffset expiry) in _expiry)
            {
                if (expiry <= DateTimeOffset.UtcNow && _server != null)
                {
                    // IoT Hub closes a connection whose token has expired.
                    Interlocked.Increment(ref _expiredDisconnects);
                    _expiry.TryRemove(client, out _);
                    await _server.DisconnectClientAsync(client, new MqttServerClientDisconnectOptions { ReasonCode = MqttDisconnectReasonCode.NotAuthorized });
                }
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int seen = Volatile.Read(ref target);
        while (value > seen)
        {
            int was = Interlocked.CompareExchange(ref target, value, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        if (_expiryWatch != null)
        {
            await _expiryWatch;
        }

        await StopAsync();
        _stop.Dispose();
    }
}
