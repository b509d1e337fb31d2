using System.Security.Cryptography;
using System.Text;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Gateway.Uplink.IotHub;
using MQTTnet;
using MQTTnet.Formatter;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>
/// The Azure IoT Hub uplink (issue 13) against <see cref="FakeIotHub"/>, a TLS MQTT endpoint that checks what IoT
/// Hub's documentation says it checks: the username and api-version, the SAS signature and expiry, the topic and
/// property bag, the 256 KB limit, and that closes a connection whose token expired.
/// </summary>
public sealed class IotHubTests(ITestOutputHelper output)
{
    private const string Device = "hg-gateway-01";

    private static Dictionary<string, string> HubSettings(FakeIotHub hub, IDictionary<string, string>? extra = null)
    {
        var s = new Dictionary<string, string>
        {
            ["Uplink:Kind"] = "iothub",
            ["Uplink:IotHub:ConnectionString"] = hub.ConnectionString,
            ["Uplink:CaCertificatePath"] = hub.Tls.CaPem,
            ["Uplink:IotHub:MaxMessagesPerSecond"] = "50",

            // The nodes here publish 1.82 ‰ (salty for rice): the gateway's sampling planner would shorten their
            // interval before the cloud's command does; this test counts the cloud's config revisions alone.
            ["Sampling:Enabled"] = "false",
        };
        foreach (var kv in extra ?? new Dictionary<string, string>())
        {
            s[kv.Key] = kv.Value;
        }

        return s;
    }

    [Fact]
    public async Task Readings_reach_the_hub_with_their_properties_the_token_is_renewed_without_loss_and_cloud_commands_are_applied_or_refused()
    {
        using var tls = new TlsFiles();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        await using var hub = new FakeIotHub(tls, Device, key);
        await hub.StartAsync();
        using var dir = new TempDir();
        // 30 s tokens: renewed after 22.5 s, so a 55 s run renews at least twice.
        await using var gateway = new GatewayProcess(dir.Path, hub.Port, HubSettings(hub, new Dictionary<string, string> { ["Uplink:IotHub:TokenLifetimeSeconds"] = "30" }));
        await gateway.StartAsync();

        var nodes = new List<ResilientNode>();
        for (int i = 0; i < 3; i++)
        {
            string id = $"hg-iot-{i:D2}";
            nodes.Add(new ResilientNode(id, await gateway.RegisterNodeAsync(id), () => gateway.MqttPort));
        }

        using var generate = new CancellationTokenSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Task[] running = nodes.Select(n => Task.Run(() => n.RunAsync(TimeSpan.FromMilliseconds(40), generate.Token, stop.Token))).ToArray();

        await Task.Delay(TimeSpan.FromSeconds(10));
        // A config change from the IOC for a node, and a command the gateway does not know.
        await hub.SendCloudToDeviceAsync("c2d-config-1", """{"type":"node-config","node":"hg-iot-01","config":{"v":1,"interval_s":600}}""");
        await hub.SendCloudToDeviceAsync("c2d-reboot-1", """{"type":"reboot","node":"hg-iot-01"}""");
        await Task.Delay(TimeSpan.FromSeconds(45));
        generate.Cancel();
        await Task.WhenAll(running);

        await WaitAsync(() => nodes.All(n => n.Acknowledged.All(seq => hub.ReadingCounts.ContainsKey((n.Id, n.Boot, seq)))), TimeSpan.FromSeconds(60), "every acknowledged reading at the hub");
        int acknowledged = nodes.Sum(n => n.Acknowledged.Count);
        int duplicates = hub.ReadingCounts.Values.Sum(c => c - 1);
        output.WriteLine($"acknowledged {acknowledged}, at the hub {hub.ReadingCounts.Count} distinct, duplicates {duplicates}; tokens accepted {hub.TokensAccepted.Count}, expired disconnects {hub.ExpiredDisconnects}, refusals [{string.Join("; ", hub.Refusals)}], messages {hub.Messages.Count}, throttled {hub.Throttled}");
        Assert.True(acknowledged > 1500, $"only {acknowledged} readings: the run did not exercise much");
        Assert.True(hub.TokensAccepted.Count >= 3, $"{hub.TokensAccepted.Count} tokens: the gateway did not renew its token twice in 55 s of 30 s tokens");
        Assert.Equal(0, hub.ExpiredDisconnects);
        Assert.Empty(hub.Refusals);
        Assert.Equal(0, hub.Throttled);
        Assert.Equal(0, hub.ForbiddenPublishes);
        Assert.Equal(0, duplicates); // renewal waits for everything in flight: nothing is sent twice
        Assert.True(await gateway.MetricAsync("edgesensors_uplink_tokens_total", "why=\"renew\"") >= 2);

        // The property bag: content type and encoding as IoT Hub routing reads them, the node, and the readings' ids.
        var readings = hub.Messages.Where(m => m.Properties.GetValueOrDefault("kind") == "readings").ToList();
        Assert.NotEmpty(readings);
        foreach ((IReadOnlyDictionary<string, string> p, byte[] body) in readings.Take(50))
        {
            Assert.Equal("application/json", p["$.ct"]);
            Assert.Equal("utf-8", p["$.ce"]);
            Assert.Equal("test-site", p["site"]);
            using JsonDocument doc = JsonDocument.Parse(body);
            Assert.Equal(doc.RootElement.GetProperty("node").GetString(), p["node"]);
            var ids = doc.RootElement.GetProperty("readings").EnumerateArray().Select(r => (r.GetProperty("boot").GetUInt32(), r.GetProperty("seq").GetUInt32())).ToList();
            Assert.Equal(ids, ExpandRuns(p["ids"]));
            Assert.StartsWith($"test-site/{p["node"]}/", p["$.mid"], StringComparison.Ordinal);
        }

        // The cloud-to-device messages: both completed, one applied (the node's config revision moved), one refused
        // with its reason; both answered with a command-result message.
        await WaitAsync(() => hub.Completed.Contains("c2d-config-1") && hub.Completed.Contains("c2d-reboot-1"), TimeSpan.FromSeconds(20), "both cloud-to-device messages completed");
        var results = hub.Messages.Where(m => m.Properties.GetValueOrDefault("kind") == "command-result")
            .Select(m => JsonDocument.Parse(m.Body).RootElement).ToDictionary(r => r.GetProperty("mid").GetString()!);
        Assert.True(results["c2d-config-1"].GetProperty("applied").GetBoolean(), results["c2d-config-1"].ToString());
        Assert.False(results["c2d-reboot-1"].GetProperty("applied").GetBoolean());
        Assert.Contains("unknown command type \"reboot\"", results["c2d-reboot-1"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        JsonElement node = (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes")).EnumerateArray().Single(n => n.GetProperty("id").GetString() == "hg-iot-01");
        Assert.Equal(1, node.GetProperty("config_revision").GetInt64());
        Assert.Contains("\"interval_s\":600", node.GetProperty("config").GetString(), StringComparison.Ordinal);
        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit?account=iothub-c2d");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "node_config");
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "c2d_refused");

        // No secret in the log: not the device key, not a token, not a signature.
        AssertNoSecrets(gateway.Output, key, hub);
        foreach (ResilientNode n in nodes)
        {
            await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_compromised_IOC_link_cannot_move_calibration_blind_a_station_or_flood_a_node_with_changes()
    {
        // Issue 29: one cloud-to-device {"ec_gain":0.81,"ec_offset":-2.5} once turned a rice-danger 1.55 ‰ into 0.06 ‰
        // and let the relay permit water; seven ×0.8 steps walked the gain from 1 to 0.23.
        using var tls = new TlsFiles();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        await using var hub = new FakeIotHub(tls, Device, key);
        await hub.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, hub.Port, HubSettings(hub));
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-iot-09");
        await WaitAsync(() => !hub.TokensAccepted.IsEmpty, TimeSpan.FromSeconds(30), "the gateway connected to the hub");

        var sent = new List<string>();
        async Task Send(string mid, string config)
        {
            sent.Add(mid);
            await hub.SendCloudToDeviceAsync(mid, $$"""{"type":"node-config","node":"hg-iot-09","config":{{config}}}""");
        }

        await Send("attack-cal", """{"v":1,"calibration":{"ec_gain":0.81,"ec_offset":-2.5}}""");
        double gain = 1.0;
        for (int i = 0; i < 7; i++)
        {
            gain *= 0.8;
            string g = gain.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            string measured = (1.413 / 0.8).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
            await Send($"attack-step-{i}", "{\"v\":1,\"calibration\":{\"ec_gain\":" + g + "},\"calibration_record\":{\"technician\":\"x\",\"reference_ms_cm\":1.413,\"measured_ms_cm\":" + measured + "}}");
        }

        await Send("attack-blind", """{"v":1,"interval_s":86400}""");
        await Send("attack-battery", """{"v":1,"mode":"always_on"}""");
        await Send("attack-ema", """{"v":1,"ema_alpha":0.01}""");
        for (int i = 0; i < 5; i++)
        {
            await Send($"interval-{i}", $$"""{"v":1,"interval_s":{{600 + (i * 60)}}}""");
        }

        await WaitAsync(() => sent.All(hub.Completed.Contains), TimeSpan.FromSeconds(30), "every cloud-to-device message completed");
        var results = hub.Messages.Where(m => m.Properties.GetValueOrDefault("kind") == "command-result")
            .Select(m => JsonDocument.Parse(m.Body).RootElement).ToDictionary(r => r.GetProperty("mid").GetString()!);
        foreach (string mid in sent.Where(m => m.StartsWith("attack", StringComparison.Ordinal)))
        {
            Assert.False(results[mid].GetProperty("applied").GetBoolean(), $"{mid} was applied: {results[mid]}");
        }

        Assert.Contains("may not change \"calibration\"", results["attack-cal"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("interval_s only from 300 to 3600", results["attack-blind"].GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Contains("may not change \"mode\"", results["attack-battery"].GetProperty("detail").GetString(), StringComparison.Ordinal);

        // Four changes an hour are allowed; the fifth (whichever came last) is refused for the rate.
        Assert.Equal(4, Enumerable.Range(0, 5).Count(i => results[$"interval-{i}"].GetProperty("applied").GetBoolean()));
        Assert.Single(Enumerable.Range(0, 5), i => results[$"interval-{i}"].GetProperty("detail").GetString()!.Contains("at most 4", StringComparison.Ordinal));

        // What the node is sent holds no calibration at all; the audit says what changed, key by key.
        JsonElement node = (await gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes")).EnumerateArray().Single(n => n.GetProperty("id").GetString() == "hg-iot-09");
        string config = node.GetProperty("config").GetString()!;
        Assert.DoesNotContain("calibration", config, StringComparison.Ordinal);
        Assert.Matches("\"interval_s\":(600|660|720|780|840)", config);
        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit?account=iothub-c2d");
        var changes = audit.EnumerateArray().Where(a => a.GetProperty("action").GetString() == "node_config").Select(a => a.GetProperty("detail").GetString()!).ToList();
        Assert.Single(changes, d => d.Contains("interval_s (node's own) → ", StringComparison.Ordinal));
        Assert.Equal(3, changes.Count(d => System.Text.RegularExpressions.Regex.IsMatch(d, "interval_s \\d+ → \\d+")));
        Assert.Equal(sent.Count - 4, audit.EnumerateArray().Count(a => a.GetProperty("action").GetString() == "c2d_refused"));
    }

    [Fact]
    public async Task A_config_change_gives_the_same_refusal_through_the_operator_API_and_the_IOC()
    {
        // One use case (NodeConfiguration) behind both entry points: where the IOC is allowed a key, a value the node
        // would refuse is refused with the firmware decoder's own words, through either.
        using var tls = new TlsFiles();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        await using var hub = new FakeIotHub(tls, Device, key);
        await hub.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, hub.Port, HubSettings(hub, new Dictionary<string, string> { ["IocAuthority:AllowedKeys:0"] = "interval_s", ["IocAuthority:AllowedKeys:1"] = "burst" }));
        await gateway.StartAsync();
        await gateway.RegisterNodeAsync("hg-iot-10");
        await WaitAsync(() => !hub.TokensAccepted.IsEmpty, TimeSpan.FromSeconds(30), "the gateway connected to the hub");

        HttpResponseMessage viaApi = await gateway.Http.PutAsync("/api/nodes/hg-iot-10/config", new StringContent("""{"v":1,"burst":99}""", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, viaApi.StatusCode);
        string apiError = (await viaApi.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("error").GetString()!;

        await hub.SendCloudToDeviceAsync("c2d-burst", """{"type":"node-config","node":"hg-iot-10","config":{"v":1,"burst":99}}""");
        await WaitAsync(() => hub.Completed.Contains("c2d-burst"), TimeSpan.FromSeconds(30), "the command completed");
        JsonElement result = hub.Messages.Where(m => m.Properties.GetValueOrDefault("kind") == "command-result").Select(m => JsonDocument.Parse(m.Body).RootElement).Single(r => r.GetProperty("mid").GetString() == "c2d-burst");
        Assert.False(result.GetProperty("applied").GetBoolean());
        Assert.Equal("node hg-iot-10: " + apiError, result.GetProperty("detail").GetString());
        Assert.Contains("burst", apiError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_hub_refuses_a_wrong_key_an_expired_token_a_wrong_api_version_and_a_message_over_256_KB()
    {
        using var tls = new TlsFiles();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        await using var hub = new FakeIotHub(tls, Device, key);
        await hub.StartAsync();
        string username = $"localhost/{Device}/?api-version=2021-04-12";
        DateTimeOffset inAnHour = DateTimeOffset.UtcNow.AddHours(1);

        // The gateway's token signing against the hub's own check: accepted.
        Assert.Null(hub.Check(Device, username, IotHubSas.DeviceToken("localhost", Device, key, inAnHour), 120, DateTimeOffset.UtcNow));
        Assert.Equal("signature does not match the device key", hub.Check(Device, username, IotHubSas.DeviceToken("localhost", Device, RandomNumberGenerator.GetBytes(32), inAnHour), 120, DateTimeOffset.UtcNow));
        Assert.Equal("token expired", hub.Check(Device, username, IotHubSas.DeviceToken("localhost", Device, key, DateTimeOffset.UtcNow.AddSeconds(-5)), 120, DateTimeOffset.UtcNow));
        Assert.StartsWith("username", hub.Check(Device, $"localhost/{Device}/", IotHubSas.DeviceToken("localhost", Device, key, inAnHour), 120, DateTimeOffset.UtcNow), StringComparison.Ordinal);
        Assert.StartsWith("token is for another resource", hub.Check(Device, username, IotHubSas.DeviceToken("localhost", "other-device", key, inAnHour), 120, DateTimeOffset.UtcNow), StringComparison.Ordinal);

        // Over the wire: a good connect works, an expired token is refused, and 300 KB closes the connection.
        Assert.True(await ConnectAsync(hub, username, IotHubSas.DeviceToken("localhost", Device, key, DateTimeOffset.UtcNow.AddSeconds(-1))) is { } expired && !expired.IsConnected);
        using IMqttClient? client = await ConnectAsync(hub, username, IotHubSas.DeviceToken("localhost", Device, key, inAnHour));
        Assert.True(client!.IsConnected);
        var big = new MqttApplicationMessageBuilder().WithTopic($"devices/{Device}/messages/events/kind=readings").WithPayload(new byte[300 * 1024])
            .WithQualityOfServiceLevel(MQTTnet.Protocol.MqttQualityOfServiceLevel.AtLeastOnce).Build();
        try
        {
            await client.PublishAsync(big).WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or TimeoutException or OperationCanceledException)
        {
        }

        await WaitAsync(() => !client.IsConnected, TimeSpan.FromSeconds(10), "the hub closing the connection after 300 KB");
        Assert.Equal(1, hub.Oversize);
    }

    [Fact]
    public async Task A_wrong_device_key_keeps_the_readings_and_says_why_without_printing_a_secret()
    {
        using var tls = new TlsFiles();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] wrong = RandomNumberGenerator.GetBytes(32);
        await using var hub = new FakeIotHub(tls, Device, key);
        await hub.StartAsync();
        string wrongString = $"HostName=localhost;DeviceId={Device};SharedAccessKey={Convert.ToBase64String(wrong)}";
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, hub.Port, HubSettings(hub, new Dictionary<string, string> { ["Uplink:IotHub:ConnectionString"] = wrongString }));
        await gateway.StartAsync();
        await using var node = new TestNode("hg-iot-key", await gateway.RegisterNodeAsync("hg-iot-key"));
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess);

        await WaitAsync(() => hub.Refusals.Contains("signature does not match the device key"), TimeSpan.FromSeconds(20), "the hub refusing the wrong key");
        JsonElement health = await gateway.HealthAsync();
        output.WriteLine(health.ToString());
        // Between attempts the state is "retrying" or "connecting"; the reason stays until a connect succeeds.
        Assert.NotEqual("connected", health.GetProperty("uplink").GetProperty("state").GetString());
        Assert.Contains("NotAuthorized", health.GetProperty("uplink").GetProperty("last_error").GetString(), StringComparison.Ordinal);
        Assert.Empty(hub.ReadingCounts);
        Assert.Equal(2, health.GetProperty("store").GetProperty("backlog").GetInt32()); // kept for when the key is mended
        AssertNoSecrets(gateway.Output, wrong, hub);
    }

    [Fact]
    public async Task A_backlog_drains_in_messages_under_256_KB_and_is_paced_below_the_throttle()
    {
        using var tls = new TlsFiles();
        byte[] key = RandomNumberGenerator.GetBytes(32);
        await using var hub = new FakeIotHub(tls, Device, key) { ThrottlePerSecond = 12 };
        using var dir = new TempDir();
        // 5,000 readings may go in one message: far over IoT Hub's limit, so the forwarder must split.
        await using var gateway = new GatewayProcess(dir.Path, hub.Port, HubSettings(hub, new Dictionary<string, string>
        {
            ["Uplink:MaxReadingsPerMessage"] = "5000",
            ["Uplink:IotHub:MaxMessagesPerSecond"] = "10",
        }));
        await gateway.StartAsync();
        var node = new ResilientNode("hg-iot-backlog", await gateway.RegisterNodeAsync("hg-iot-backlog"), () => gateway.MqttPort);
        // Enough readings for a batch well over 256 KB, however busy the machine: generated until 2,000 are stored.
        using var generate = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(3));
        Task run = node.RunAsync(TimeSpan.FromMilliseconds(1), generate.Token, stop.Token);
        while (node.Acknowledged.Count < 2000 && !generate.IsCancellationRequested)
        {
            await Task.Delay(50);
        }

        await generate.CancelAsync();
        await run;
        output.WriteLine($"{node.Acknowledged.Count} readings waiting for the hub");
        Assert.True(node.Acknowledged.Count > 1500, $"{node.Acknowledged.Count} readings: not enough for a message over 256 KB");

        await hub.StartAsync(); // the hub comes (back) online with the backlog waiting
        await WaitAsync(() => node.Acknowledged.All(seq => hub.ReadingCounts.ContainsKey((node.Id, node.Boot, seq))), TimeSpan.FromSeconds(90), "the whole backlog at the hub");
        output.WriteLine($"largest message {hub.LargestMessage} bytes, {hub.Messages.Count} messages, oversize {hub.Oversize}, throttled {hub.Throttled}");
        Assert.Equal(0, hub.Oversize);
        Assert.Equal(0, hub.Throttled);
        Assert.True(hub.LargestMessage > 64 * 1024, $"largest message {hub.LargestMessage} bytes: the backlog was not batched");
        Assert.True(hub.LargestMessage <= FakeIotHub.MessageLimit);
        await node.DisposeAsync();
    }

    [Theory]
    [InlineData("Uplink:Kind", "amqp", "Uplink:Kind is mqtt or iothub")]
    [InlineData("Uplink:IotHub:ConnectionString", "", "Uplink:IotHub:ConnectionString (or Uplink:IotHub:ConnectionStringFile) is not set")]
    [InlineData("Uplink:IotHub:ConnectionString", "HostName=hub.example;DeviceId=gw;SharedAccessKey=not-base64!!!SECRETPART", "Uplink:IotHub:ConnectionString is not a device connection string")]
    [InlineData("Uplink:IotHub:KeepAliveSeconds", "3600", "Uplink:IotHub:KeepAliveSeconds is 10 … 1177")]
    [InlineData("Uplink:IotHub:ConnectionStringFile", "/nonexistent/iothub.conn", "Uplink:IotHub:ConnectionStringFile names a file that does not exist")]
    [InlineData("Uplink:Password", "pw-SECRETPART", "Uplink:Username and Uplink:Password are not used with IoT Hub")]
    public async Task Wrong_iothub_options_stop_the_gateway_naming_the_option(string option, string value, string message)
    {
        using var dir = new TempDir();
        var settings = new Dictionary<string, string>
        {
            ["Uplink:Kind"] = "iothub",
            ["Uplink:IotHub:ConnectionString"] = $"HostName=hub.example;DeviceId=gw;SharedAccessKey={Convert.ToBase64String(new byte[32])}",
            [option] = value,
        };
        if (option == "Uplink:IotHub:ConnectionStringFile")
        {
            settings.Remove("Uplink:IotHub:ConnectionString");
        }

        await using var gateway = new GatewayProcess(dir.Path, null, settings);
        int code = await gateway.RunToExitAsync(TimeSpan.FromSeconds(60));
        output.WriteLine(gateway.Output);
        Assert.NotEqual(0, code);
        Assert.Contains(message, gateway.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRETPART", gateway.Output, StringComparison.Ordinal);
    }

    private static void AssertNoSecrets(string log, byte[] key, FakeIotHub hub)
    {
        Assert.DoesNotContain(Convert.ToBase64String(key), log, StringComparison.Ordinal);
        Assert.DoesNotContain("SharedAccessSignature", log, StringComparison.Ordinal);
        Assert.DoesNotContain("sig=", log, StringComparison.Ordinal);
        foreach (string token in hub.TokensAccepted.Keys)
        {
            Assert.DoesNotContain(token, log, StringComparison.Ordinal);
        }
    }

    private static List<(uint, uint)> ExpandRuns(string runs)
    {
        var ids = new List<(uint, uint)>();
        foreach (string run in runs.Split(','))
        {
            string[] bootSeq = run.Split(':');
            uint boot = uint.Parse(bootSeq[0], System.Globalization.CultureInfo.InvariantCulture);
            string[] range = bootSeq[1].Split('-');
            uint first = uint.Parse(range[0], System.Globalization.CultureInfo.InvariantCulture);
            uint last = range.Length > 1 ? uint.Parse(range[1], System.Globalization.CultureInfo.InvariantCulture) : first;
            for (uint s = first; s <= last; s++)
            {
                ids.Add((boot, s));
            }
        }

        return ids;
    }

    private static async Task<IMqttClient?> ConnectAsync(FakeIotHub hub, string username, string password)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", hub.Port).WithClientId(Device)
            .WithCredentials(username, password).WithProtocolVersion(MqttProtocolVersion.V311)
            .WithTlsOptions(t => t.UseTls().WithTargetHost("localhost").WithCertificateValidationHandler(_ => true)).Build();
        try
        {
            await client.ConnectAsync(options);
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
        }

        return client;
    }

    private static async Task WaitAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (!condition())
        {
            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(100);
        }
    }
}
