using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Tests.Fixtures;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>
/// The chain to the IOC's database, all real parts: nodes → gateway → RabbitMQ (MQTT plugin) → a durable quorum queue
/// → three ingest instances → PostgreSQL; and the embedded default, gateway → Mosquitto → one ingest → SQLite.
/// </summary>
public sealed class EndToEndTests(ITestOutputHelper output)
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;

    [PostgresAndRabbitMqFact]
    public async Task Three_ingest_instances_on_one_quorum_queue_land_every_reading_once_through_a_SIGKILL_and_a_gateway_restart()
    {
        await using var pg = new PostgresServer();
        await using var rabbit = new RabbitMqBroker();
        await Task.WhenAll(pg.StartAsync(), rabbit.StartAsync());

        var settings = new Dictionary<string, string>
        {
            ["Ingest:Source"] = "rabbitmq",
            ["Ingest:RabbitMq:Host"] = "127.0.0.1",
            ["Ingest:RabbitMq:Port"] = rabbit.AmqpPort.ToString(C),
            ["Ingest:RabbitMq:Prefetch"] = "200",
            ["Ingest:BatchMaxMessages"] = "50",
            ["Ingest:Store:Kind"] = "postgres",
            ["Ingest:Store:PostgresConnectionString"] = pg.ConnectionString,
        };
        await using var a = new IngestProcess("ingest-a", settings);
        await using var b = new IngestProcess("ingest-b", settings);
        await using var c = new IngestProcess("ingest-c", settings);
        await a.StartAsync(); // declares the quorum queue and its bindings before the gateway publishes
        await WaitAsync(async () => (await a.GetAsync("/health")).GetProperty("source").GetProperty("state").GetString() == "connected", TimeSpan.FromSeconds(60), "ingest-a consuming");
        await Task.WhenAll(b.StartAsync(), c.StartAsync());
        Assert.Contains("quorum", await rabbit.CtlAsync("list_queues", "name", "type"), StringComparison.Ordinal);

        using var dir = new TempDir();
        var gatewaySettings = new Dictionary<string, string>(RabbitMqBroker.GatewaySettings) { ["Uplink:InFlightWindow"] = "4", ["Uplink:MaxReadingsPerMessage"] = "20" };
        await using var gateway = new GatewayProcess(dir.Path, rabbit.Port, gatewaySettings);
        await gateway.StartAsync();
        var nodes = new List<ResilientNode>();
        for (int i = 0; i < 6; i++)
        {
            string id = $"hg-e2e-{i:D2}";
            nodes.Add(new ResilientNode(id, await gateway.RegisterNodeAsync(id), () => gateway.MqttPort));
        }

        using var generate = new CancellationTokenSource();
        using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(4));
        Task[] running = nodes.Select(n => Task.Run(() => n.RunAsync(TimeSpan.FromMilliseconds(20), generate.Token, stop.Token))).ToArray();

        // Each phase ends on the progress it needs (600 more readings acknowledged, about 2 s of this load), signalled
        // by the nodes' acknowledgements, not after a guess of time.
        TimeSpan patience = TimeSpan.FromSeconds(90);
        await ResilientNode.WhenAcknowledgedAsync(nodes, 600, patience);
        // Bad input in the queue, between good messages: parked and counted, the readings behind it still land.
        await PublishRawAsync(rabbit.Port, "ioc/test-site/hg-e2e-00/telemetry", "{this is not json");
        await PublishRawAsync(rabbit.Port, "ioc/test-site/hg-e2e-00/telemetry", """{"v":9,"site":"test-site","node":"hg-e2e-00","readings":[]}""");
        await ResilientNode.WhenAcknowledgedAsync(nodes, nodes.Sum(n => n.AcknowledgedCount) + 600, patience);
        await WaitAsync(async () => await StoredByAsync(b) > 0, TimeSpan.FromSeconds(60), "ingest-b taking its share of the queue");
        double bStored = await StoredByAsync(b);
        await b.KillAsync();
        output.WriteLine($"SIGKILL ingest-b after {nodes.Sum(n => n.Acknowledged.Count)} acknowledged readings; it had stored {bStored} (its share of the queue)");
        await ResilientNode.WhenAcknowledgedAsync(nodes, nodes.Sum(n => n.AcknowledgedCount) + 600, patience);
        await gateway.KillAsync();
        await gateway.StartAsync();
        output.WriteLine($"gateway restarted after {nodes.Sum(n => n.Acknowledged.Count)} acknowledged readings");
        await ResilientNode.WhenAcknowledgedAsync(nodes, nodes.Sum(n => n.AcknowledgedCount) + 600, patience);
        generate.Cancel();
        await Task.WhenAll(running);
        int acknowledged = nodes.Sum(n => n.Acknowledged.Count);
        Assert.True(acknowledged > 1500, $"only {acknowledged} readings acknowledged");

        try
        {
            await WaitAsync(async () => long.Parse(await pg.SqlAsync("SELECT COUNT(*) FROM reading_ids"), C) >= acknowledged, TimeSpan.FromSeconds(120), "every acknowledged reading in PostgreSQL");
        }
        catch (TimeoutException)
        {
            output.WriteLine($"in PostgreSQL: {await pg.SqlAsync("SELECT COUNT(*) FROM reading_ids")}; gateway: {await gateway.HealthAsync()}");
            output.WriteLine("ingest-a:\n" + string.Join('\n', a.Output.Split('\n').TakeLast(20)));
            throw;
        }

        // Every id a node was told "received" is in the database, once.
        string ids = await pg.SqlAsync("SELECT node || ':' || boot || ':' || seq FROM reading_ids WHERE site = 'test-site'");
        var stored = ids.Split('\n', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        int missing = nodes.Sum(n => n.Acknowledged.Count(seq => !stored.Contains($"{n.Id}:{n.Boot}:{seq}")));
        string counts = await pg.SqlAsync("SELECT (SELECT COUNT(*) FROM readings), (SELECT COUNT(*) FROM reading_ids), (SELECT COUNT(*) FROM (SELECT 1 FROM readings GROUP BY site, node, boot, seq HAVING COUNT(*) > 1) d), (SELECT COALESCE(SUM(n), 0) FROM duplicates), (SELECT COUNT(*) FROM parked)");
        output.WriteLine($"acknowledged {acknowledged}; readings|ids|ids stored twice|duplicates received|parked = {counts}; missing {missing}");
        string[] f = counts.Split('|');
        Assert.Equal(0, missing);
        Assert.Equal(f[0], f[1]);
        Assert.Equal("0", f[2]); // no reading stored twice
        Assert.Equal("2", f[4]); // both bad messages parked
        JsonElement parked = await a.GetAsync("/api/parked");
        Assert.Contains(parked.EnumerateArray(), p => p.GetProperty("reason").GetString()!.StartsWith("not JSON", StringComparison.Ordinal));
        Assert.Contains(parked.EnumerateArray(), p => p.GetProperty("reason").GetString() == "unknown schema version 9 (this ingest reads v1)");

        // The report, from a surviving instance's API and from the CLI: 100 % complete, nothing missing.
        JsonElement report = await c.GetAsync("/api/completeness?site=test-site");
        output.WriteLine(report.GetProperty("sites").ToString());
        JsonElement site = report.GetProperty("sites").EnumerateArray().Single();
        Assert.Equal(100, site.GetProperty("completeness_percent").GetDouble());
        Assert.Equal(0, site.GetProperty("missing").GetInt64());
        Assert.Equal(stored.Count, site.GetProperty("received").GetInt64());
        (int code, string text) = await new IngestProcess("report", settings).RunCommandAsync(TimeSpan.FromSeconds(60), "report", "--site", "test-site");
        output.WriteLine(text);
        Assert.Equal(0, code);
        Assert.Contains("Completeness at", text, StringComparison.Ordinal);
        Assert.Contains(": 100 %", text, StringComparison.Ordinal);
        Assert.True(a.IsRunning && c.IsRunning);
        output.WriteLine($"stored by ingest-a {await StoredByAsync(a)}, ingest-c {await StoredByAsync(c)}");

        foreach (ResilientNode n in nodes)
        {
            await n.DisposeAsync();
        }
    }

    [Fact]
    public async Task The_embedded_default_takes_a_gateways_readings_from_a_local_mqtt_broker_into_sqlite()
    {
        await using var local = await LocalIngest.StartAsync("ingest-local");
        MosquittoBroker mosquitto = local.Mosquitto;
        IngestProcess ingest = local.Ingest;

        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, mosquitto.Port);
        await gateway.StartAsync();
        await using var node = new TestNode("hg-local-01", await gateway.RegisterNodeAsync("hg-local-01"));
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess);
        }

        await PublishRawAsync(mosquitto.Port, "ioc/test-site/hg-local-01/telemetry", "\u0001\u0002 garbage", MqttProtocolVersion.V500);
        Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess); // behind the bad message

        await WaitAsync(async () => (await ingest.GetAsync("/health")).GetProperty("store").GetProperty("readings").GetInt64() == 21, TimeSpan.FromSeconds(30), "21 readings in SQLite");
        JsonElement health = await ingest.GetAsync("/health");
        output.WriteLine(health.ToString());
        Assert.Equal(1, health.GetProperty("store").GetProperty("parked").GetInt64());
        JsonElement boot = (await ingest.GetAsync("/api/completeness")).GetProperty("boots").EnumerateArray().Single();
        Assert.Equal(21, boot.GetProperty("received").GetInt64());
        Assert.Equal(100, boot.GetProperty("completeness_percent").GetDouble());
        string metrics = await ingest.Http.GetStringAsync("/metrics");
        Assert.Contains("ioc_ingest_readings_total{result=\"stored\"} 21", metrics, StringComparison.Ordinal);
        Assert.Contains("ioc_ingest_parked_total{reason=\"malformed\"} 1", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_API_needs_a_token_the_dashboard_reads_completeness_only_and_no_token_is_logged()
    {
        await using var local = await LocalIngest.StartAsync("ingest-api", subscribed: false);
        MosquittoBroker mosquitto = local.Mosquitto;
        IngestProcess ingest = local.Ingest;
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(ingest.TokensFile));

        using var anonymous = new HttpClient { BaseAddress = ingest.Http.BaseAddress };
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/completeness")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/parked")).StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guessed-" + new string('x', 40));
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/completeness")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);

        using var dashboard = new HttpClient { BaseAddress = ingest.Http.BaseAddress };
        dashboard.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", ingest.Token("dashboard"));
        Assert.Equal(System.Net.HttpStatusCode.OK, (await dashboard.GetAsync("/api/completeness")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.Forbidden, (await dashboard.GetAsync("/api/parked")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await ingest.Http.GetAsync("/api/parked")).StatusCode); // the operator

        Assert.DoesNotContain(ingest.Token("operator"), ingest.Output, StringComparison.Ordinal);
        Assert.DoesNotContain(ingest.Token("dashboard"), ingest.Output, StringComparison.Ordinal);
        Assert.Contains(ingest.TokensFile, ingest.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_embedded_default_killed_mid_stream_and_restarted_with_its_own_identity_loses_nothing()
    {
        await using var mosquitto = new MosquittoBroker();
        await mosquitto.StartAsync();
        using var data = new TempDir();
        var settings = new Dictionary<string, string>
        {
            ["Ingest:Mqtt:Port"] = mosquitto.Port.ToString(C),
            ["Ingest:Store:SqlitePath"] = Path.Combine(data.Path, "ingest.db"),
            ["Ingest:InstanceName"] = string.Empty, // the default identity, as `dotnet run` gives it
        };
        await using var ingest = new IngestProcess("ingest-default", settings);
        await ingest.StartAsync();
        await SubscribedAsync(ingest);
        string identity = (await ingest.GetAsync("/health")).GetProperty("instance").GetString()!;
        Assert.DoesNotContain(Environment.ProcessId.ToString(C), identity, StringComparison.Ordinal);

        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, mosquitto.Port);
        await gateway.StartAsync();
        await using var node = new TestNode("hg-kill-01", await gateway.RegisterNodeAsync("hg-kill-01"));
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        for (int i = 0; i < 100; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess);
        }

        await WaitAsync(async () => (await ingest.GetAsync("/health")).GetProperty("store").GetProperty("readings").GetInt64() > 0, TimeSpan.FromSeconds(30), "the first readings stored");
        await ingest.KillAsync(); // SIGKILL: nothing flushed, nothing said to the broker
        for (int i = 0; i < 200; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess); // while the ingest is dead
        }

        await ingest.StartAsync();
        Assert.Equal(identity, (await ingest.GetAsync("/health")).GetProperty("instance").GetString());
        await WaitAsync(async () => (await ingest.GetAsync("/health")).GetProperty("store").GetProperty("readings").GetInt64() == 600, TimeSpan.FromSeconds(60), "all 600 readings stored");
        JsonElement boot = (await ingest.GetAsync("/api/completeness")).GetProperty("boots").EnumerateArray().Single();
        Assert.Equal(100, boot.GetProperty("completeness_percent").GetDouble());
    }

    [Fact]
    public async Task Readings_a_broker_acknowledged_and_then_dropped_after_the_last_stored_one_are_reported_missing_from_the_gateways_marks()
    {
        // Mosquitto keeping only 2 messages for an offline session plays the issue's loss: the gateway was told its
        // readings were delivered, the broker dropped them while the ingest was down, and nothing came after them —
        // a tail no run of sequence numbers can show. The gateway's forwarded high-water marks show it.
        await using var local = await LocalIngest.StartAsync("ingest-marks", new Dictionary<string, string> { ["Ingest:MarkGraceSeconds"] = "1" }, maxQueuedMessages: 2);
        MosquittoBroker mosquitto = local.Mosquitto;
        IngestProcess ingest = local.Ingest;

        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, mosquitto.Port, new Dictionary<string, string>
        {
            ["Uplink:MaxReadingsPerMessage"] = "1",
            ["Uplink:MarksIntervalSeconds"] = "1",
        });
        await gateway.StartAsync();
        await using var node = new TestNode("hg-tail-01", await gateway.RegisterNodeAsync("hg-tail-01"));
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        for (int i = 0; i < 3; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess);
        }

        await WaitAsync(async () => (await ingest.GetAsync("/health")).GetProperty("store").GetProperty("readings").GetInt64() == 6, TimeSpan.FromSeconds(30), "the first 6 readings stored");
        await ingest.KillAsync();
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess); // seq 7–26, while the ingest is away
        }

        await WaitAsync(async () => await gateway.MetricAsync("edgesensors_readings_forwarded_total") >= 26, TimeSpan.FromSeconds(30), "the gateway forwarded all 26 (the broker acknowledged them)");
        await ingest.StartAsync();
        JsonElement boot = default;
        await WaitAsync(async () =>
        {
            boot = (await ingest.GetAsync("/api/completeness")).GetProperty("boots").EnumerateArray().Single();
            return boot.GetProperty("holes").EnumerateArray().Any(h => h.GetProperty("to").GetInt64() == 26);
        }, TimeSpan.FromSeconds(60), "the tail reported from the gateway's marks");

        long stored = (await ingest.GetAsync("/health")).GetProperty("store").GetProperty("readings").GetInt64();
        output.WriteLine($"stored {stored} of 26; completeness {boot}");
        Assert.True(stored < 26, "the broker kept everything: nothing to report");
        Assert.Equal(26 - stored, boot.GetProperty("missing").GetInt64());
        Assert.True(boot.GetProperty("completeness_percent").GetDouble() < 100);
    }

    [Fact]
    public async Task A_second_gateways_forged_site_gap_and_pre_empting_seq_are_parked_or_reported_and_the_genuine_readings_count()
    {
        await using var local = await LocalIngest.StartAsync("ingest-authority");
        MosquittoBroker mosquitto = local.Mosquitto;
        IngestProcess ingest = local.Ingest;

        // The genuine gateway (site test-site) forwards ten readings of its node.
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, mosquitto.Port);
        await gateway.StartAsync();
        await using var node = new TestNode("hg-auth-01", await gateway.RegisterNodeAsync("hg-auth-01"));
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        for (int i = 0; i < 5; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(0.3), node.NextSample(0.3))).IsSuccess);
        }

        await WaitAsync(async () => (await ingest.GetAsync("/health")).GetProperty("store").GetProperty("readings").GetInt64() == 10, TimeSpan.FromSeconds(30), "the genuine ten");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        string Reading(long seq, double salinity) => $"{{\"boot\":{node.Boot},\"seq\":{seq},\"ts\":{now},\"rx\":{now},\"sync\":true,\"q\":\"good\",\"r\":{{\"salinity_ppt\":{salinity.ToString(C)}}}}}";

        // A second gateway (site hg-evil), on its own channel, speaking for test-site: readings, and a gap record that
        // would turn a hole of test-site into "dropped by the gateway".
        await PublishRawAsync(mosquitto.Port, "ioc/hg-evil/hg-auth-01/telemetry", $"{{\"v\":1,\"site\":\"test-site\",\"node\":\"hg-auth-01\",\"readings\":[{Reading(11, 0.1)}]}}");
        await PublishRawAsync(mosquitto.Port, "ioc/hg-evil/gaps", $"{{\"v\":1,\"site\":\"test-site\",\"node\":\"hg-auth-01\",\"boot\":{node.Boot},\"seq_from\":11,\"seq_to\":40,\"count\":30,\"reason\":\"store_full\",\"ts\":{now}}}");
        // And, as if the broker had let it onto test-site's channel, the node's next seq before the real one, with its own values.
        await PublishRawAsync(mosquitto.Port, "ioc/test-site/hg-auth-01/telemetry", $"{{\"v\":1,\"site\":\"test-site\",\"node\":\"hg-auth-01\",\"readings\":[{Reading(11, 0.05)}]}}");
        await WaitAsync(async () => (await ingest.GetAsync("/api/parked")).GetArrayLength() == 2, TimeSpan.FromSeconds(30), "both forgeries parked");

        // The real seq 11 and 12 arrive: seq 11 is a conflict, kept aside with both values and counted, not dropped as a duplicate.
        Assert.True((await node.PublishAsync(node.NextSample(1.4), node.NextSample(1.5))).IsSuccess);
        await WaitAsync(async () => (await ingest.GetAsync("/api/conflicts")).GetArrayLength() == 1, TimeSpan.FromSeconds(30), "the conflict");

        JsonElement parked = await ingest.GetAsync("/api/parked");
        Assert.All(parked.EnumerateArray(), p => Assert.StartsWith("authority:", p.GetProperty("reason").GetString(), StringComparison.Ordinal));
        JsonElement conflict = (await ingest.GetAsync("/api/conflicts"))[0];
        Assert.Equal(11, conflict.GetProperty("seq").GetInt64());
        Assert.Contains("0.05", conflict.GetProperty("stored_fields").GetString(), StringComparison.Ordinal);
        Assert.Contains("1.4", conflict.GetProperty("new_fields").GetString(), StringComparison.Ordinal);
        Assert.Contains("ioc_ingest_readings_total{result=\"conflict\"} 1", await ingest.Http.GetStringAsync("/metrics"), StringComparison.Ordinal);

        // Completeness is honest: test-site's node received 1–12, no hole turned into "dropped", nothing stored under hg-evil.
        JsonElement report = await ingest.GetAsync("/api/completeness");
        JsonElement boot = report.GetProperty("boots").EnumerateArray().Single();
        Assert.Equal(("test-site", 12L, 0L, 0L), (boot.GetProperty("site").GetString(), boot.GetProperty("received").GetInt64(), boot.GetProperty("missing").GetInt64(), boot.GetProperty("dropped_by_policy").GetInt64()));
        Assert.DoesNotContain(report.GetProperty("sites").EnumerateArray(), x => x.GetProperty("site").GetString() == "hg-evil");
    }

    [Fact]
    public async Task Help_prints_the_usage_and_starts_nothing()
    {
        using var data = new TempDir();
        string db = Path.Combine(data.Path, "ingest-data", "ingest.db");
        await using var ingest = new IngestProcess("ingest-help", new Dictionary<string, string> { ["Ingest:Store:SqlitePath"] = db });
        (int code, string text) = await ingest.RunCommandAsync(TimeSpan.FromSeconds(60), "--help");
        Assert.Equal(0, code);
        Assert.Contains("Usage:", text, StringComparison.Ordinal);
        Assert.Contains("report", text, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.GetDirectoryName(db)), "--help created the data folder");
        Assert.DoesNotContain("started", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_the_broker_has_been_down_a_while_the_ingest_is_back_within_seconds_of_its_return()
    {
        await using var local = await LocalIngest.StartAsync("ingest-reconnect");
        MosquittoBroker mosquitto = local.Mosquitto;
        IngestProcess ingest = local.Ingest;

        // Down long enough for eight failed attempts: a doubling backoff is by then at minutes (it was capped at 30 s).
        await mosquitto.StopAsync();
        await WaitAsync(() => Task.FromResult(ingest.Output.Split('\n').Count(l => l.Contains("not reachable", StringComparison.Ordinal)) >= 8), TimeSpan.FromSeconds(90), "eight failed reconnects");
        await mosquitto.StartAsync();
        DateTime back = DateTime.UtcNow;
        await SubscribedAsync(ingest, 12, "the ingest reconnected");
        output.WriteLine($"reconnected {(DateTime.UtcNow - back).TotalSeconds:0.0} s after the broker returned");
    }

    private static async Task<double> StoredByAsync(IngestProcess ingest)
    {
        string line = (await ingest.Http.GetStringAsync("/metrics")).Split('\n').FirstOrDefault(l => l.StartsWith("ioc_ingest_readings_total{result=\"stored\"}", StringComparison.Ordinal)) ?? "x 0";
        return double.Parse(line.Split(' ')[^1], C);
    }

    private static async Task PublishRawAsync(int port, string topic, string payload, MqttProtocolVersion version = MqttProtocolVersion.V311)
    {
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("test-bad-publisher-" + Guid.NewGuid().ToString("N")[..6]).WithProtocolVersion(version).Build());
        await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }

    /// <summary>Until the ingest's /health says its source is connected (it has subscribed).</summary>
    private static Task SubscribedAsync(IngestProcess ingest, double seconds = 30, string what = "the ingest subscribed") =>
        WaitAsync(async () => (await ingest.GetAsync("/health")).GetProperty("source").GetProperty("state").GetString() == "connected", TimeSpan.FromSeconds(seconds), what);

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan timeout, string what)
    {
        DateTime until = DateTime.UtcNow + timeout;
        while (true)
        {
            try
            {
                if (await condition())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"timed out waiting for {what}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>
    /// The IOC's side as the embedded default runs it: a local Mosquitto and one ingest process storing into SQLite,
    /// started, and (unless told otherwise) subscribed before the test's gateway publishes.
    /// </summary>
    private sealed class LocalIngest : IAsyncDisposable
    {
        private readonly TempDir _data = new();

        private LocalIngest(MosquittoBroker mosquitto) => Mosquitto = mosquitto;

        public MosquittoBroker Mosquitto { get; }

        public IngestProcess Ingest { get; private set; } = null!;

        public static async Task<LocalIngest> StartAsync(string name, IDictionary<string, string>? extra = null, int? maxQueuedMessages = null, bool subscribed = true)
        {
            var local = new LocalIngest(maxQueuedMessages is int max ? new MosquittoBroker(maxQueuedMessages: max) : new MosquittoBroker());
            await local.Mosquitto.StartAsync();
            var settings = new Dictionary<string, string>
            {
                ["Ingest:Mqtt:Port"] = local.Mosquitto.Port.ToString(C),
                ["Ingest:Store:SqlitePath"] = Path.Combine(local._data.Path, "ingest.db"),
            };
            foreach (KeyValuePair<string, string> kv in extra ?? new Dictionary<string, string>())
            {
                settings[kv.Key] = kv.Value;
            }

            local.Ingest = new IngestProcess(name, settings);
            await local.Ingest.StartAsync();
            if (subscribed)
            {
                await SubscribedAsync(local.Ingest);
            }

            return local;
        }

        public async ValueTask DisposeAsync()
        {
            await Ingest.DisposeAsync();
            await Mosquitto.DisposeAsync();
            _data.Dispose();
        }
    }
}
