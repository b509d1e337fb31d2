using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using Json.Schema;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>The uplink against a real Mosquitto standing in for the IOC.</summary>
public sealed class IocForwardingTests(ITestOutputHelper output)
{
    private static bool Valid(string name, string json)
    {
        var options = new EvaluationOptions { OutputFormat = OutputFormat.List };
        string dir = Path.Combine(AppContext.BaseDirectory, "Docs", "schemas");
        JsonSchema? target = null;
        foreach (string f in Directory.GetFiles(dir, "*.schema.json"))
        {
            JsonSchema s = JsonSchema.FromText(File.ReadAllText(f));
            options.SchemaRegistry.Register(s);
            if (Path.GetFileName(f) == name + ".schema.json")
            {
                target = s;
            }
        }

        return target!.Evaluate(JsonDocument.Parse(json).RootElement, options).IsValid;
    }

    [Fact]
    public async Task A_salt_forecast_reaches_the_IOC_with_its_expected_time_and_validates_against_the_alert_schema()
    {
        await using ChainRig rig = await ChainRig.StartAsync();
        await using TestNode node = await rig.ConnectNodeAsync("hg-rice-9");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        Assert.True((await node.PublishAsync(node.SampleAt(0.2, now - 3000), node.SampleAt(0.33, now - 2100), node.SampleAt(0.46, now - 1200), node.SampleAt(0.6, now - 300))).IsSuccess);
        await rig.Recorder.WaitForAsync(r => r.Messages.Any(m => m.Topic == "ioc/test-site/alerts" && m.Payload.Contains("salinity_forecast", StringComparison.Ordinal)), TimeSpan.FromSeconds(30), "the forecast alert at the IOC");
        string payload = rig.Recorder.Messages.First(m => m.Topic == "ioc/test-site/alerts" && m.Payload.Contains("salinity_forecast", StringComparison.Ordinal)).Payload;
        output.WriteLine(payload);
        Assert.True(Valid("ioc-alert", payload), payload);
        using JsonDocument doc = JsonDocument.Parse(payload);
        JsonElement a = doc.RootElement;
        Assert.Equal("watch", a.GetProperty("level").GetString());
        Assert.Equal("unix_s", a.GetProperty("unit").GetString());
        Assert.Equal(1.0, a.GetProperty("threshold").GetDouble());
        Assert.InRange(a.GetProperty("value").GetInt64(), now - 300, now + (3 * 3600));
        Assert.StartsWith("Độ mặn dự kiến vượt ngưỡng cảnh báo 1,0‰ lúc ", a.GetProperty("msg_vi").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Readings_reach_the_IOC_in_order_with_site_location_and_quality_and_validate_against_the_schema()
    {
        await using ChainRig rig = await ChainRig.StartAsync();
        (GatewayProcess gateway, IocRecorder recorder) = (rig.Gateway, rig.Recorder);
        await using TestNode node = await rig.ConnectNodeAsync("hg-vithanh-012");
        for (int i = 0; i < 10; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample(), node.NextSample())).IsSuccess);
        }

        await recorder.WaitForAsync(r => r.ReadingCounts.Count == 20, TimeSpan.FromSeconds(30), "20 readings");
        var telemetry = recorder.Messages.Where(m => m.Topic == "ioc/test-site/hg-vithanh-012/telemetry").ToList();
        var seqs = new List<uint>();
        foreach (var (_, payload) in telemetry)
        {
            Assert.True(Valid("ioc-readings", payload), payload);
            using JsonDocument doc = JsonDocument.Parse(payload);
            Assert.Equal("test-site", doc.RootElement.GetProperty("site").GetString());
            Assert.Equal(9.7845, doc.RootElement.GetProperty("loc").GetProperty("lat").GetDouble());
            seqs.AddRange(doc.RootElement.GetProperty("readings").EnumerateArray().Select(r => r.GetProperty("seq").GetUInt32()));
            Assert.All(doc.RootElement.GetProperty("readings").EnumerateArray(), r => Assert.Equal("good", r.GetProperty("q").GetString()));
        }

        Assert.Equal(Enumerable.Range(1, 20).Select(i => (uint)i), seqs);
        output.WriteLine($"{telemetry.Count} uplink messages for 20 readings");

        // A technician can follow a reading's path: stored, checkpoint, backlog.
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        JsonElement detail;
        do
        {
            detail = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes/hg-vithanh-012?last=5");
        }
        while (detail.GetProperty("uplink").GetProperty("backlog").GetInt64() > 0 && DateTime.UtcNow < until);

        Assert.Equal(5, detail.GetProperty("last_readings").GetArrayLength());
        Assert.Equal(20u, detail.GetProperty("last_readings")[0].GetProperty("seq").GetUInt32());
        Assert.Equal(detail.GetProperty("last_readings")[0].GetProperty("id").GetInt64(), detail.GetProperty("uplink").GetProperty("forwarded_through_id").GetInt64());
        Assert.Equal(0, detail.GetProperty("uplink").GetProperty("backlog_age_s").GetInt64());
        Assert.Equal(20, await gateway.MetricAsync("edgesensors_readings_forwarded_total"));
        Assert.Equal(1, await gateway.MetricAsync("edgesensors_uplink_connected"));
    }

    [Fact]
    public async Task Past_the_hard_cap_the_oldest_unforwarded_readings_are_dropped_counted_and_reported_as_gaps()
    {
        // The IOC's recorder subscribes first with a persistent session, then the IOC goes down: whatever the gateway
        // sends the moment the IOC is back is kept for the recorder (no race between its subscription and the uplink).
        await using var ioc = new MosquittoBroker();
        await ioc.StartAsync();
        await using var recorder = new IocRecorder(ioc.Port);
        await recorder.StartAsync();
        await ioc.StopAsync(); // the IOC is unreachable while the disk fills
        // The SOC hears of the policy drop too (issue 15, scope 6), over plain TCP here (TLS is SocSyslogTests').
        await using var soc = new RsyslogServer(null);
        await soc.StartAsync();
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, ioc.Port, new Dictionary<string, string>
        {
            ["Store:MaxBytes"] = "1000000",
            ["Soc:Syslog:Host"] = "127.0.0.1",
            ["Soc:Syslog:Port"] = soc.Port.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Soc:Syslog:Transport"] = "tcp",
        });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-flood-1");
        await using var node = new TestNode("hg-flood-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        // 24,000 readings: at well under 100 bytes each (typed columns, schema 2) it takes this many to pass 1 MB.
        for (int m = 0; m < 800; m++)
        {
            var batch = Enumerable.Range(0, 30).Select(_ => node.NextSample()).ToArray();
            Assert.True((await node.PublishAsync(batch)).IsSuccess);
        }

        // The SOC's policy_drop event is the signal that the cap was reached (it is sent after the drop is counted).
        System.Text.Json.JsonElement drop = await soc.WaitForAsync(e => e.GetProperty("msgid").GetString() == "policy_drop", TimeSpan.FromSeconds(30), "the policy drop");
        double dropped = await gateway.MetricAsync("edgesensors_readings_dropped_total", "store_full");
        Assert.True(dropped > 0, "nothing was dropped: the cap was not reached");
        Assert.Equal("store_full", drop.GetProperty("sd").GetProperty("edgesensors@32473").GetProperty("reason").GetString());
        // The policy runs every 200 ms here while readings keep coming: the store is back under its cap within a few runs.
        await gateway.WaitForMetricAsync("edgesensors_store_bytes", null, b => b <= 1_000_000 * 1.05, TimeSpan.FromSeconds(15), "the store back under its cap");
        output.WriteLine($"acknowledged {node.Acknowledged.Count}, dropped by policy {dropped}");

        // The IOC comes back: it receives the readings kept and a gap record for every one dropped — nothing silent.
        await ioc.StartAsync();
        await recorder.WaitForAsync(
            r => r.ReadingCounts.Count + GapSeqs(r).Count >= node.Acknowledged.Count,
            TimeSpan.FromSeconds(90),
            "every acknowledged reading or its gap record");
        HashSet<uint> gaps = GapSeqs(recorder);
        // The budget may have trimmed more after the first look (it runs until the store is under its cap): every
        // reading it dropped, by its final count, has its gap record.
        dropped = await gateway.MetricAsync("edgesensors_readings_dropped_total", "store_full");
        Assert.Equal((int)dropped, gaps.Count);
        foreach (uint seq in node.Acknowledged)
        {
            Assert.True(recorder.ReadingCounts.ContainsKey(("hg-flood-1", node.Boot, seq)) || gaps.Contains(seq), $"seq {seq} neither delivered nor reported as a gap");
        }

        // Gaps are the oldest readings.
        Assert.Equal(Enumerable.Range(1, gaps.Count).Select(i => (uint)i), gaps.Order());
        Assert.All(recorder.Messages.Where(m => m.Topic == "ioc/test-site/gaps"), m => Assert.True(Valid("ioc-gap", m.Payload), m.Payload));
    }

    private static HashSet<uint> GapSeqs(IocRecorder r)
    {
        var seqs = new HashSet<uint>();
        foreach (var (_, payload) in r.Messages.Where(m => m.Topic == "ioc/test-site/gaps"))
        {
            using JsonDocument d = JsonDocument.Parse(payload);
            for (uint s = d.RootElement.GetProperty("seq_from").GetUInt32(); s <= d.RootElement.GetProperty("seq_to").GetUInt32(); s++)
            {
                seqs.Add(s);
            }
        }

        return seqs;
    }
}
