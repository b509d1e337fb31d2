using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;
using Microsoft.Data.Sqlite;
using MQTTnet;

namespace EdgeSensors.Gateway.Tests.Broker;

/// <summary>The node broker against real MQTT clients, with the gateway as a real process on a real SQLite file.</summary>
public sealed class NodeBrokerTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private GatewayProcess _gateway = null!;

    public async Task InitializeAsync()
    {
        _gateway = new GatewayProcess(_dir.Path);
        await _gateway.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    private async Task<long> StoredCountAsync(string node)
    {
        JsonElement detail = await _gateway.Http.GetFromJsonAsync<JsonElement>($"/api/nodes/{node}?last=1000");
        return detail.GetProperty("last_readings").GetArrayLength();
    }

    [Fact]
    public async Task A_registered_node_publishes_and_its_readings_are_stored_before_the_puback()
    {
        string secret = await _gateway.RegisterNodeAsync("hg-vithanh-001");
        await using var node = new TestNode("hg-vithanh-001", secret);
        Assert.True((await node.ConnectAsync(_gateway.MqttPort)).Ok);
        var result = await node.PublishAsync(node.NextSample(), node.NextSample(2.5));
        Assert.True(result.IsSuccess, result.ReasonCode.ToString());

        // kill -9 right after the PUBACK: what was acknowledged must be on disk.
        await _gateway.KillAsync();
        await _gateway.StartAsync();
        Assert.Equal(2, await StoredCountAsync("hg-vithanh-001"));

    }

    [Fact]
    public async Task When_the_store_cannot_write_the_reading_is_not_acknowledged_and_arrives_once_after_it_recovers()
    {
        string secret = await _gateway.RegisterNodeAsync("hg-vithanh-009");
        await using var node = new TestNode("hg-vithanh-009", secret);

        // A patient node: it waits for the PUBACK longer than the gateway waits for its store.
        Assert.True((await node.ConnectAsync(_gateway.MqttPort, timeout: TimeSpan.FromSeconds(90))).Ok);
        // Fresh water (0.1 ‰): nothing for the sampling planner to write into the node's config while the store is
        // locked. A config write queued behind the lock holds the store's one writer for its busy timeout too, which
        // made this test's timing depend on when the planner's write landed (seen in CI; see the session notes).
        Assert.True((await node.PublishAsync(node.NextSample(0.1))).IsSuccess);

        // Another process holds the database's write lock for longer than the gateway waits for it (busy timeout and
        // command timeout, 30 s): the commit fails for real, as it would on a locked, damaged or full store.
        Sample blocked = node.NextSample(3.1);
        await using (var holder = new SqliteConnection($"Data Source={Path.Combine(_gateway.DataDirectory, "edgesensors.db")};Pooling=False"))
        {
            await holder.OpenAsync();
            await using (SqliteCommand begin = holder.CreateCommand())
            {
                begin.CommandText = "BEGIN EXCLUSIVE;";
                await begin.ExecuteNonQueryAsync();
            }

            Task<bool> publish = Task.Run(async () =>
            {
                try
                {
                    return (await node.PublishAsync(blocked)).IsSuccess;
                }
                catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException)
                {
                    return false;
                }
            });

            DateTime until = DateTime.UtcNow.AddSeconds(90);
            while (await _gateway.MetricAsync("edgesensors_refused_total", "store_failure") < 1)
            {
                Assert.True(DateTime.UtcNow < until, "the gateway never gave up on the locked store");
                await Task.Delay(500);
            }

            Assert.False(await publish, "a reading the gateway could not store was acknowledged");
            Assert.DoesNotContain(blocked.Seq, node.Acknowledged);
            await using (SqliteCommand rollback = holder.CreateCommand())
            {
                rollback.CommandText = "ROLLBACK;";
                await rollback.ExecuteNonQueryAsync();
            }
        }

        Assert.Equal(1, await _gateway.MetricAsync("edgesensors_store_commit_failures_total"));
        Assert.Equal(1, await StoredCountAsync("hg-vithanh-009"));

        // The node still has the reading in its outbox and sends it again: stored once, acknowledged now.
        await using var again = new TestNode("hg-vithanh-009", secret);
        Assert.True((await again.ConnectAsync(_gateway.MqttPort)).Ok);
        Assert.True((await again.PublishAsync(blocked)).IsSuccess);
        Assert.True((await again.PublishAsync(blocked)).IsSuccess);
        Assert.Equal(2, await StoredCountAsync("hg-vithanh-009"));
    }

    [Fact]
    public async Task Unregistered_nodes_and_wrong_passwords_are_refused_and_counted()
    {
        string secret = await _gateway.RegisterNodeAsync("hg-vithanh-002");
        await using var stranger = new TestNode("hg-stranger-1", "whatever-password");
        var r1 = await stranger.ConnectAsync(_gateway.MqttPort);
        Assert.False(r1.Ok);

        await using var wrong = new TestNode("hg-vithanh-002", secret + "x");
        Assert.False((await wrong.ConnectAsync(_gateway.MqttPort)).Ok);

        await using var spoof = new TestNode("hg-vithanh-002", secret);
        Assert.False((await spoof.ConnectAsync(_gateway.MqttPort, clientId: "someone-else")).Ok);

        Assert.Equal(1, await _gateway.MetricAsync("edgesensors_refused_total", "unknown_node"));
        Assert.Equal(1, await _gateway.MetricAsync("edgesensors_refused_total", "bad_credentials"));
        Assert.Equal(1, await _gateway.MetricAsync("edgesensors_refused_total", "client_id_mismatch"));
        Assert.DoesNotContain(secret, _gateway.Output, StringComparison.Ordinal);
        Assert.Contains("bad_credentials", _gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_node_cannot_publish_on_another_nodes_topic_or_subscribe_to_its_data()
    {
        string a = await _gateway.RegisterNodeAsync("node-a");
        await _gateway.RegisterNodeAsync("node-b");
        await using var node = new TestNode("node-a", a);
        Assert.True((await node.ConnectAsync(_gateway.MqttPort)).Ok);

        // node-a forges a telemetry message of node-b, on node-b's topic.
        byte[] forged = TelemetryEncoder.Encode("node-b", [new EdgeSensors.Node.Samples.Sample(1, 1, 1764028800, true, TestNode.SampleReading())], 3.9, -60, 8192, out _);
        var result = await node.PublishRawAsync(Topics.Telemetry("node-b"), forged);
        Assert.False(result.IsSuccess);
        Assert.Equal(MqttClientPublishReasonCode.NotAuthorized, result.ReasonCode);

        // and cannot write its own config, or listen to others.
        Assert.False((await node.PublishRawAsync(Topics.Config("node-a"), Encoding.UTF8.GetBytes("{\"v\":1}"), retain: true)).IsSuccess);
        var sub = await node.SubscribeAsync("sensors/#");
        Assert.NotEqual(MqttClientSubscribeResultCode.GrantedQoS1, sub.Items.Single().ResultCode);
        var own = await node.SubscribeAsync(Topics.Config("node-a"));
        Assert.Equal(MqttClientSubscribeResultCode.GrantedQoS1, own.Items.Single().ResultCode);

        Assert.Equal(2, await _gateway.MetricAsync("edgesensors_refused_total", "foreign_topic"));
        Assert.Equal(1, await _gateway.MetricAsync("edgesensors_refused_total", "subscribe_denied"));
        Assert.Equal(0, await StoredCountAsync("node-b"));
    }

    [Fact]
    public async Task Malformed_and_oversize_payloads_are_refused_counted_quarantined_and_never_stored()
    {
        string secret = await _gateway.RegisterNodeAsync("hg-garbage-1");
        await using var node = new TestNode("hg-garbage-1", secret);
        Assert.True((await node.ConnectAsync(_gateway.MqttPort)).Ok);
        string[] garbage =
        [
            "not json at all",
            "{\"v\":1,\"node\":\"hg-garbage-1\",\"boot\":1,\"samples\":[]}",
            "{\"v\":2,\"node\":\"hg-garbage-1\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":1,\"sync\":true,\"r\":{}}]}",
            "{\"v\":1,\"node\":\"someone-else\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":1,\"sync\":true,\"r\":{}}]}",
            "{\"v\":1,\"node\":\"hg-garbage-1\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":1,\"sync\":true,\"r\":{\"salinity_ppt\":\"high\"}}]}",
            "{\"v\":1,\"node\":\"hg-garbage-1\",\"boot\":1,\"samples\":[{\"seq\":1,\"ts\":1,\"sync\":true,\"r\":{\"salinity_ppt\":999}}]}",
            "{\"v\":1,\"node\":\"hg-garbage-1\",\"boot\":0,\"samples\":[{\"seq\":1,\"ts\":1,\"sync\":true,\"r\":{}}]}",
        ];
        foreach (string g in garbage)
        {
            var r = await node.PublishRawAsync(Topics.Telemetry("hg-garbage-1"), Encoding.UTF8.GetBytes(g));
            Assert.False(r.IsSuccess, g);
            Assert.Equal(MqttClientPublishReasonCode.PayloadFormatInvalid, r.ReasonCode);
        }

        var big = await node.PublishRawAsync(Topics.Telemetry("hg-garbage-1"), new byte[9000]);
        Assert.Equal(MqttClientPublishReasonCode.QuotaExceeded, big.ReasonCode);
        Assert.False((await node.PublishRawAsync(Topics.Telemetry("hg-garbage-1"), [0xFF, 0xFE, 0x00, 0x7B])).IsSuccess);

        Assert.Equal(garbage.Length + 1, await _gateway.MetricAsync("edgesensors_refused_total", "malformed"));
        Assert.Equal(1, await _gateway.MetricAsync("edgesensors_refused_total", "oversize"));
        Assert.Equal(0, await StoredCountAsync("hg-garbage-1"));
        JsonElement quarantine = await _gateway.Http.GetFromJsonAsync<JsonElement>("/api/quarantine");
        Assert.Equal(garbage.Length + 2, quarantine.GetArrayLength());

        // The node is still welcome with good data.
        Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess);
        Assert.Equal(1, await StoredCountAsync("hg-garbage-1"));
    }

    [Fact]
    public async Task Duplicates_are_acknowledged_but_stored_once_and_unsynced_clocks_are_stamped_at_receipt()
    {
        string secret = await _gateway.RegisterNodeAsync("hg-dup-1");
        await using var node = new TestNode("hg-dup-1", secret);
        Assert.True((await node.ConnectAsync(_gateway.MqttPort)).Ok);
        var s1 = node.NextSample();
        var unsynced = new EdgeSensors.Node.Samples.Sample(node.Boot, 2, 0, false, TestNode.SampleReading());
        Assert.True((await node.PublishAsync(s1, unsynced)).IsSuccess);
        Assert.True((await node.PublishAsync(s1, unsynced)).IsSuccess);
        Assert.Equal(2, await _gateway.MetricAsync("edgesensors_readings_duplicate_total"));

        JsonElement detail = await _gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes/hg-dup-1");
        JsonElement[] readings = detail.GetProperty("last_readings").EnumerateArray().ToArray();
        Assert.Equal(2, readings.Length);
        JsonElement stamped = readings.Single(r => r.GetProperty("seq").GetUInt32() == 2);
        Assert.Equal("ts_gateway", stamped.GetProperty("q").GetString());
        Assert.InRange(stamped.GetProperty("ts").GetInt64(), DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60, DateTimeOffset.UtcNow.ToUnixTimeSeconds() + 5);
        Assert.Equal(stamped.GetProperty("ts").GetInt64(), stamped.GetProperty("rx").GetInt64());
    }

    [Fact]
    public async Task Retained_config_set_through_the_api_reaches_the_node_and_bad_config_is_refused()
    {
        string secret = await _gateway.RegisterNodeAsync("hg-cfg-1");
        var bad = await _gateway.Http.PutAsync("/api/nodes/hg-cfg-1/config", new StringContent("{\"v\":1,\"interval_s\":0}", Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("interval_s", await bad.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var ok = await _gateway.Http.PutAsync("/api/nodes/hg-cfg-1/config", new StringContent("{\"v\":1,\"interval_s\":600,\"calibration\":{\"ec_gain\":1.05}}", Encoding.UTF8, "application/json"));
        Assert.True(ok.IsSuccessStatusCode, await ok.Content.ReadAsStringAsync());

        // A restart must not lose it: the retained config lives in the registry.
        await _gateway.KillAsync();
        await _gateway.StartAsync();
        await using var node = new TestNode("hg-cfg-1", secret);
        Assert.True((await node.ConnectAsync(_gateway.MqttPort)).Ok);
        await node.SubscribeAsync(Topics.Config("hg-cfg-1"));
        for (int i = 0; i < 50 && node.Received.Count == 0; i++)
        {
            await Task.Delay(100);
        }

        var msg = Assert.Single(node.Received);
        Assert.Contains("\"interval_s\":600", msg.Payload, StringComparison.Ordinal);
        Assert.Contains("\"rev\":1", msg.Payload, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_admin_api_refuses_requests_without_the_operator_token()
    {
        using var anonymous = new HttpClient { BaseAddress = _gateway.Http.BaseAddress };
        var r = await anonymous.PostAsJsonAsync("/api/nodes", new { id = "hg-intruder" });
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, r.StatusCode);
        anonymous.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", "guess");
        Assert.Equal(System.Net.HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/nodes")).StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await anonymous.GetAsync("/health")).StatusCode);
    }

    [Fact]
    public async Task Bad_registrations_are_refused_with_reasons()
    {
        await _gateway.RegisterNodeAsync("hg-once");
        var dup = await _gateway.Http.PostAsJsonAsync("/api/nodes", new { id = "hg-once" });
        Assert.Equal(System.Net.HttpStatusCode.Conflict, dup.StatusCode);
        var badId = await _gateway.Http.PostAsJsonAsync("/api/nodes", new { id = "Bad Id" });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badId.StatusCode);
        var badLat = await _gateway.Http.PostAsJsonAsync("/api/nodes", new { id = "hg-far", lat = 91.0, lon = 105.0 });
        Assert.Equal(System.Net.HttpStatusCode.BadRequest, badLat.StatusCode);
        Assert.Contains("lat", await badLat.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
