using System.Threading.Channels;
using EdgeSensors.Ioc.Ingest.Decoding;

namespace EdgeSensors.Ioc.Ingest.Pipeline;

/// <summary>
/// Between a source and the pipeline: bounded, so a slow database slows the broker's delivery (the source waits)
/// instead of filling memory. The broker's own prefetch or in-flight window bounds what arrives meanwhile.
/// </summary>
public sealed class InboundBuffer
{
    private readonly Channel<InboundMessage> _channel = Channel.CreateBounded<InboundMessage>(new BoundedChannelOptions(20_000) { SingleReader = true, FullMode = BoundedChannelFullMode.Wait });

    public ChannelWriter<InboundMessage> Writer => _channel.Writer;

    public ChannelReader<InboundMessage> Reader => _channel.Reader;
}
