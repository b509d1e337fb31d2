using System.Text.Json;
using EdgeSensors.Device.Simulator.Board;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>
/// One node as a technician leaves it: registered at a real gateway process (TLS only, its own CA), node.json from the
/// node config on flash, the device program on a simulated board; the gateway forwards to a Mosquitto standing in
/// for the IOC, where a recorder counts every (node, boot, seq).
/// </summary>
public sealed class NodeRig : IAsyncDisposable
{
    public const string NodeId = "hg-sim-001";

    private NodeRig(ChainRig chain, SimulatedBoard board)
    {
        Chain = chain;
        Board = board;
    }

    public ChainRig Chain { get; }

    public SimulatedBoard Board { get; }

    /// <summary>The node.json the node was flashed with (set when the CLI wrote it).</summary>
    public string? NodeJsonPath { get; private set; }

    /// <summary>Readings of this node the IOC has, by (boot, seq), with how often each arrived.</summary>
    public IReadOnlyDictionary<(uint Boot, uint Seq), int> AtIoc =>
        Chain.Recorder.ReadingCounts.Where(kv => kv.Key.Node == NodeId).ToDictionary(kv => (kv.Key.Boot, kv.Key.Seq), kv => kv.Value);

    /// <summary>
    /// A node whose node.json is written by `edgesensors node config` with its defaults (only what a technician must
    /// give, plus <paramref name="extra"/>), as the README's procedure does.
    /// </summary>
    public static async Task<NodeRig> StartWithCliAsync(int intervalSeconds, PowerMode mode, params string[] extra)
    {
        (ChainRig chain, string secret, SimulatedBoard board) = await StartChainAsync(speed: 40);
        string file = Path.Combine(chain.Gateway.DataDirectory, "..", NodeId + ".node.json");
        var (code, _, err) = await CliProcess.RunAsync(
            [
                "node", "config", NodeId, "--wifi-ssid", board.WifiSsid, "--wifi-password", board.WifiPassword,
                "--gateway-host", "127.0.0.1", "--gateway-port", chain.Gateway.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ca", chain.Gateway.CaPath,
                "--interval", intervalSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture), "--mode", mode == PowerMode.AlwaysOn ? "always_on" : "deep_sleep",
                "--no-check", "--out", file, .. extra,
            ],
            new Dictionary<string, string?> { ["EDGESENSORS_NODE_SECRET"] = secret });
        Assert.True(code == 0, "edgesensors node config failed: " + err);
        board.Flash.Deploy("node.json", await File.ReadAllBytesAsync(file));
        return new NodeRig(chain, board) { NodeJsonPath = file };
    }

    /// <summary>The salinity the IOC stored for a reading, or null when the reading came without one.</summary>
    public double? SalinityAtIoc(uint boot, uint seq)
    {
        foreach ((string topic, string payload) in Chain.Recorder.Messages)
        {
            if (!topic.EndsWith("/telemetry", StringComparison.Ordinal))
            {
                continue;
            }

            using JsonDocument doc = JsonDocument.Parse(payload);
            foreach (JsonElement r in doc.RootElement.GetProperty("readings").EnumerateArray())
            {
                if (r.GetProperty("boot").GetUInt32() == boot && r.GetProperty("seq").GetUInt32() == seq)
                {
                    return r.GetProperty("r").TryGetProperty("salinity_ppt", out JsonElement s) ? s.GetDouble() : null;
                }
            }
        }

        throw new KeyNotFoundException($"boot {boot} seq {seq} is not at the IOC");
    }

    public static async Task<NodeRig> StartAsync(int intervalSeconds = 60, PowerMode mode = PowerMode.DeepSleep)
    {
        (ChainRig chain, string secret, SimulatedBoard board) = await StartChainAsync(speed: 20);
        string nodeJson = ConfigEncoder.EncodeDevice(new NodeConfig
        {
            NodeId = NodeId,
            WifiSsid = board.WifiSsid,
            WifiPassword = board.WifiPassword,
            GatewayHost = "127.0.0.1",
            GatewayPort = chain.Gateway.TlsPort,
            GatewayTls = true,
            GatewayCaPem = await File.ReadAllTextAsync(chain.Gateway.CaPath),
            Password = secret,
            IntervalSeconds = intervalSeconds,
            Mode = mode,
        });
        board.Flash.Deploy("node.json", System.Text.Encoding.UTF8.GetBytes(nodeJson));
        return new NodeRig(chain, board);
    }

    /// <summary>The gateway (TLS only) forwarding to the IOC's stand-in, the node registered, and its board.</summary>
    private static async Task<(ChainRig Chain, string Secret, SimulatedBoard Board)> StartChainAsync(double speed)
    {
        ChainRig chain = await ChainRig.StartAsync(new Dictionary<string, string> { ["Broker:AllowPlaintext"] = "false" });
        string secret = await chain.Gateway.RegisterNodeAsync(NodeId);
        return (chain, secret, new SimulatedBoard(speed));
    }

    /// <summary>Telemetry samples the node published, in order, as (boot, seq).</summary>
    public List<(uint Boot, uint Seq)> Published(int fromEvent = 0)
    {
        var list = new List<(uint, uint)>();
        foreach (BoardEvent e in Board.Events.Skip(fromEvent).Where(e => e.Kind == "publish" && e.Topic!.EndsWith("/telemetry", StringComparison.Ordinal)))
        {
            using JsonDocument doc = JsonDocument.Parse(e.Payload!);
            uint boot = doc.RootElement.GetProperty("boot").GetUInt32();
            foreach (JsonElement s in doc.RootElement.GetProperty("samples").EnumerateArray())
            {
                list.Add((boot, s.GetProperty("seq").GetUInt32()));
            }
        }

        return list;
    }

    /// <summary>Status messages the node published, parsed.</summary>
    public List<JsonElement> Statuses(int fromEvent = 0) =>
        Board.Events.Skip(fromEvent).Where(e => e.Kind == "publish" && e.Topic!.EndsWith("/status", StringComparison.Ordinal))
            .Select(e => JsonDocument.Parse(e.Payload!).RootElement.Clone()).ToList();

    public int Count(string kind, int fromEvent = 0) => Board.Events.Skip(fromEvent).Count(e => e.Kind == kind);

    public async ValueTask DisposeAsync()
    {
        await Board.DisposeAsync();
        await Chain.DisposeAsync();
    }
}
