namespace EdgeSensors.Gateway.Tests.Fixtures;

/// <summary>The chain from the gateway up: a Mosquitto standing in for the IOC, the IOC's recorder, and the gateway process forwarding to it.</summary>
public sealed class ChainRig : IAsyncDisposable
{
    private readonly TempDir _dir = new();

    private ChainRig(MosquittoBroker ioc)
    {
        Ioc = ioc;
        Recorder = new IocRecorder(ioc.Port);
    }

    public MosquittoBroker Ioc { get; }

    public IocRecorder Recorder { get; }

    public GatewayProcess Gateway { get; private set; } = null!;

    public static async Task<ChainRig> StartAsync(IDictionary<string, string>? gatewaySettings = null)
    {
        var rig = new ChainRig(new MosquittoBroker());
        await rig.Ioc.StartAsync();
        await rig.Recorder.StartAsync();
        rig.Gateway = new GatewayProcess(rig._dir.Path, rig.Ioc.Port, gatewaySettings);
        await rig.Gateway.StartAsync();
        return rig;
    }

    /// <summary>Registers a node at the gateway and connects it.</summary>
    public async Task<TestNode> ConnectNodeAsync(string id)
    {
        var node = new TestNode(id, await Gateway.RegisterNodeAsync(id));
        Assert.True((await node.ConnectAsync(Gateway.MqttPort)).Ok);
        return node;
    }

    public async ValueTask DisposeAsync()
    {
        await Gateway.DisposeAsync();
        await Recorder.DisposeAsync();
        await Ioc.DisposeAsync();
        _dir.Dispose();
    }
}
