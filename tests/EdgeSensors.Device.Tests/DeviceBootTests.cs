using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using EdgeSensors.Emulator.Sim;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Device;
using EdgeSensors.Node.Outbox;
using EdgeSensors.Node.Protocol;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeSensors.Device.Tests;

/// <summary>
/// The device program's composition (DeviceApp) booted on desktop .NET against simulated hardware at the register and
/// ADC-count level, with the desktop MQTT transport to a real Mosquitto on 127.0.0.1.
/// </summary>
public sealed class DeviceBootTests(ITestOutputHelper output)
{
    private sealed class RealClock : INodeClock
    {
        private readonly Stopwatch _watch = Stopwatch.StartNew();

        public long MonotonicMs => _watch.ElapsedMilliseconds;

        public long UnixSeconds => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        public bool IsSynchronized => true;
    }

    private sealed class Platform : INodePlatform
    {
        public string FirmwareVersion => "1.0.0-test";

        /// <summary>What the chip itself can tell: the device adapter knows only timer wake-ups; DeviceApp reports the run record's reason.</summary>
        public string ResetReason => "unknown";

        public double BatteryVolts => 3.92;

        /// <summary>Signal strength from a scan this start; 0 when this start did not scan.</summary>
        public int RssiDbm { get; set; } = -61;

        public long FreeMemoryBytes => 52000;
    }

    private static string NodeJson(string id, int port, int interval = 1) => ConfigEncoder.EncodeDevice(new NodeConfig
    {
        NodeId = id,
        WifiSsid = "UBND-ViThanh",
        WifiPassword = "mat-khau-wifi",
        GatewayHost = "127.0.0.1",
        GatewayPort = port,
        GatewayTls = false, // the test's broker is a plain lab one
        Password = "node-password-123",
        IntervalSeconds = interval,
        Mode = PowerMode.AlwaysOn,
    });

    private sealed class Rig(Rig? previous = null) : IAsyncDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private Task? _loop;

        /// <summary>The node's internal flash (documents and the outbox file); a rig made from a previous one restarts the same node.</summary>
        public MemoryDocumentStorage Flash { get; } = previous?.Flash ?? new MemoryDocumentStorage();

        public RamStorage OutboxFile { get; } = previous?.OutboxFile ?? new RamStorage();

        public Platform Platform { get; } = new();

        public SimulatedCanal Canal { get; } = new();

        public FakeBme280I2cDevice Bme { get; } = new();

        public MqttNodeTransport Transport { get; } = new();

        public DeviceApp? App { get; private set; }

        public string BootError { get; private set; } = string.Empty;

        public bool Boot()
        {
            var sampler = new SimulatedFrontEnd(Canal).Sampler(new CountingPower(), new Bme280AirSensor(Bme));
            App = DeviceApp.Boot(Flash, OutboxFile, Transport, new RealClock(), sampler, Platform, new Random(5), RunJournal.Open(Flash, timerWake: false), out string error);
            BootError = App?.BootError ?? error;
            if (App == null)
            {
                return false;
            }

            _loop = Task.Run(async () =>
            {
                while (!_stop.IsCancellationRequested)
                {
                    long delay = App.Cycle.Step();
                    await Task.Delay((int)Math.Clamp(delay, 1, 50));
                }
            });
            return true;
        }

        /// <summary>The node loses power: no DISCONNECT, the socket just dies.</summary>
        public async Task PowerCutAsync()
        {
            _stop.Cancel();
            if (_loop != null)
            {
                await _loop;
            }

            Transport.Dispose();
        }

        public async ValueTask DisposeAsync()
        {
            if (!_stop.IsCancellationRequested)
            {
                await PowerCutAsync();
            }

            _stop.Dispose();
        }
    }

    private static async Task<(IMqttClient Client, ConcurrentQueue<(string Topic, string Payload, bool Retain)> Seen)> ObserveAsync(int port)
    {
        var seen = new ConcurrentQueue<(string, string, bool)>();
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        client.ApplicationMessageReceivedAsync += e =>
        {
            seen.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload), e.ApplicationMessage.Retain));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", port).WithClientId("observer").Build());
        await client.SubscribeAsync("sensors/#", MqttQualityOfServiceLevel.AtLeastOnce);
        return (client, seen);
    }

    private static async Task<JsonElement> WaitForAsync(ConcurrentQueue<(string Topic, string Payload, bool Retain)> seen, Func<(string Topic, string Payload, bool Retain), bool> match, string what)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(30);
        while (DateTime.UtcNow < until)
        {
            foreach (var m in seen)
            {
                if (match(m))
                {
                    return JsonDocument.Parse(m.Payload).RootElement;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"never saw {what}; saw: {string.Join(" | ", seen.Select(s => s.Topic + " " + s.Payload))}");
    }

    [Fact]
    public void The_BME280_adapter_reads_the_datasheet_example_through_its_registers()
    {
        var air = new Bme280AirSensor(new FakeBme280I2cDevice());
        Assert.True(air.TryRead(out double t, out double p, out double h));
        Assert.Equal(25.08, t, 2);
        Assert.Equal(1006.5327, p, 2);
        Assert.InRange(h, 0, 100);
    }

    [Fact]
    public async Task Boots_publishes_telemetry_and_status_takes_retained_config_and_leaves_a_last_will()
    {
        await using var broker = new MosquittoBroker();
        await broker.StartAsync();
        var (observer, seen) = await ObserveAsync(broker.Port);
        await using var rig = new Rig();
        rig.Flash.Write(DeviceApp.ConfigDocument, Encoding.UTF8.GetBytes(NodeJson("hg-device-1", broker.Port)));
        Assert.True(rig.Boot(), rig.BootError);

        JsonElement telemetry = await WaitForAsync(seen, m => m.Topic == Topics.Telemetry("hg-device-1"), "telemetry");
        JsonElement r = telemetry.GetProperty("samples")[0].GetProperty("r");
        output.WriteLine(telemetry.ToString());
        Assert.Equal(2.4, r.GetProperty("salinity_ppt").GetDouble(), 1);
        Assert.Equal(1.2, r.GetProperty("level_m").GetDouble(), 2);
        Assert.Equal(28.0, r.GetProperty("water_temp_c").GetDouble(), 0);
        Assert.Equal(25.1, r.GetProperty("air_temp_c").GetDouble(), 1);
        Assert.Equal(1006.5, r.GetProperty("air_pressure_hpa").GetDouble(), 1);

        JsonElement online = await WaitForAsync(seen, m => m.Topic == Topics.Status("hg-device-1") && m.Payload.Contains("\"online\":true", StringComparison.Ordinal), "online status");
        Assert.Equal("1.0.0-test", online.GetProperty("fw").GetString());

        // The gateway's retained config reaches the node and is applied; status says so.
        await observer.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Config("hg-device-1")).WithPayload("{\"v\":1,\"rev\":3,\"interval_s\":2}").WithRetainFlag().WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await WaitForAsync(seen, m => m.Topic == Topics.Status("hg-device-1") && m.Payload.Contains("\"config_rev\":3", StringComparison.Ordinal) && m.Payload.Contains("\"interval_s\":2", StringComparison.Ordinal), "status with config rev 3");
        Assert.Equal(2, rig.App!.Cycle.Config.IntervalSeconds);

        // Power cut: the broker publishes the node's last will.
        await rig.PowerCutAsync();
        JsonElement will = await WaitForAsync(seen, m => m.Topic == Topics.Status("hg-device-1") && m.Payload.Contains("\"online\":false", StringComparison.Ordinal), "the last will");
        Assert.Equal(rig.App.Cycle.Boot, will.GetProperty("boot").GetUInt32());
        await observer.DisconnectAsync();
        observer.Dispose();
    }

    [Theory]
    [InlineData("{\"v\":1,\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"127.0.0.1\"},\"password\":\"node-password-123\"}", "missing required field \"node\"")]
    [InlineData("{\"v\":1,\"node\":\"hg-device-2\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"127.0.0.1\",\"port\":\"1883\"},\"password\":\"node-password-123\"}", "gateway.port")]
    [InlineData("{\"v\":1,\"node\":\"hg-device-2\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"127.0.0.1\"},\"password\":\"node-password-123\",\"sleepy\":true}", "unknown field \"sleepy\"")]
    [InlineData("{\"v\":1,\"node\":\"hg-device-2\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"127.0.0.1\"},\"password\":\"node-password-123\",\"interval_s\":0}", "interval_s")]
    public async Task A_bad_node_json_is_refused_at_boot_with_the_reason_in_status_and_the_last_good_config_kept(string bad, string reason)
    {
        await using var broker = new MosquittoBroker();
        await broker.StartAsync();
        var (observer, seen) = await ObserveAsync(broker.Port);
        await using var rig = new Rig();
        rig.Flash.Write(DeviceApp.LastGoodDocument, Encoding.UTF8.GetBytes(NodeJson("hg-device-2", broker.Port)));
        rig.Flash.Write(DeviceApp.ConfigDocument, Encoding.UTF8.GetBytes(bad));
        Assert.True(rig.Boot());
        Assert.Contains(reason, rig.BootError, StringComparison.Ordinal);

        JsonElement status = await WaitForAsync(seen, m => m.Topic == Topics.Status("hg-device-2") && m.Payload.Contains("config_error", StringComparison.Ordinal), "status with the config error");
        Assert.Contains(reason, status.GetProperty("config_error").GetString(), StringComparison.Ordinal);
        Assert.Contains("last good", status.GetProperty("config_error").GetString(), StringComparison.Ordinal);
        await WaitForAsync(seen, m => m.Topic == Topics.Telemetry("hg-device-2"), "telemetry on the last good config");
        observer.Dispose();
    }

    [Fact]
    public void Without_any_good_config_the_node_refuses_to_start_and_says_why()
    {
        var rig = new Rig();
        rig.Flash.Write(DeviceApp.ConfigDocument, "{\"v\":1}"u8.ToArray());
        Assert.False(rig.Boot());
        Assert.Contains("missing required field", rig.BootError, StringComparison.Ordinal);
        Assert.Contains("no last good config", rig.BootError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sensor_faults_drop_the_fields_and_are_reported_in_status()
    {
        await using var broker = new MosquittoBroker();
        await broker.StartAsync();
        var (observer, seen) = await ObserveAsync(broker.Port);
        await using var rig = new Rig();
        rig.Canal.ProbeOut = true;
        rig.Bme.Unplugged = true;
        rig.Flash.Write(DeviceApp.ConfigDocument, Encoding.UTF8.GetBytes(NodeJson("hg-device-3", broker.Port)));
        Assert.True(rig.Boot());
        JsonElement telemetry = await WaitForAsync(seen, m => m.Topic == Topics.Telemetry("hg-device-3"), "telemetry");
        JsonElement r = telemetry.GetProperty("samples")[0].GetProperty("r");
        Assert.False(r.TryGetProperty("salinity_ppt", out _));
        Assert.False(r.TryGetProperty("air_temp_c", out _));
        Assert.True(r.TryGetProperty("water_temp_c", out _));
        JsonElement status = await WaitForAsync(seen, m => m.Topic == Topics.Status("hg-device-3") && m.Payload.Contains("open_probe", StringComparison.Ordinal), "status with faults");
        string[] faults = status.GetProperty("faults").EnumerateArray().Select(f => f.GetString()!).ToArray();
        Assert.Contains("ec_ms_cm:open_probe", faults);
        Assert.Contains("air_temp_c:no_response", faults);
        observer.Dispose();
    }

    [Fact]
    public async Task A_restart_says_why_it_happened_and_keeps_the_last_signal_strength()
    {
        await using var broker = new MosquittoBroker();
        await broker.StartAsync();
        var (observer, seen) = await ObserveAsync(broker.Port);
        const string id = "hg-device-4";

        // First start ever: power on; this start scanned and measured -71 dBm.
        await using var first = new Rig();
        first.Platform.RssiDbm = -71;
        first.Flash.Write(DeviceApp.ConfigDocument, Encoding.UTF8.GetBytes(NodeJson(id, broker.Port)));
        Assert.True(first.Boot(), first.BootError);
        JsonElement status = await WaitForAsync(seen, m => m.Topic == Topics.Status(id) && m.Payload.Contains("\"reset\":\"power_on\"", StringComparison.Ordinal), "status after power on");
        Assert.Equal(-71, status.GetProperty("rssi_dbm").GetInt32());
        await WaitForAsync(seen, m => m.Topic == Topics.Telemetry(id), "telemetry");

        // The supply dips while the node is awake: nothing asked for the restart.
        await first.PowerCutAsync();
        await using var second = new Rig(first);
        second.Platform.RssiDbm = 0;
        Assert.True(second.Boot(), second.BootError);
        status = await WaitForAsync(seen, m => m.Topic == Topics.Status(id) && m.Payload.Contains("\"reset\":\"unexpected\"", StringComparison.Ordinal), "status after a reset while awake");
        Assert.Equal(-71, status.GetProperty("rssi_dbm").GetInt32());
        Assert.NotEqual(first.App!.Cycle.Boot, status.GetProperty("boot").GetUInt32());

        // The software watchdog restarts the chip: recorded first, reported after.
        second.App!.Journal.MarkReboot("watchdog");
        await second.PowerCutAsync();
        await using var third = new Rig(second);
        third.Platform.RssiDbm = 0;
        Assert.True(third.Boot(), third.BootError);
        await WaitForAsync(seen, m => m.Topic == Topics.Status(id) && m.Payload.Contains("\"reset\":\"watchdog\"", StringComparison.Ordinal), "status after the watchdog");
        observer.Dispose();
    }
}
