using System.Buffers;
using System.IO.Pipelines;

namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// A Kestrel connection's input with <see cref="MqttFraming"/> watching it: each byte is inspected once, the first time
/// a read returns it, before MQTTnet's packet reader sees it. The reader waits for a whole packet before it decodes
/// anything, so without this a 200 MB CONNECT would sit in the connection's pipe until it filled; with it the
/// connection is cut on the fixed header. Written by hand: Kestrel's request limits are HTTP's, and MQTTnet has no
/// incoming size limit.
/// </summary>
public sealed class MqttFramingGuardPipeReader(PipeReader inner, MqttFraming framing) : PipeReader
{
    private ReadOnlySequence<byte> _last;
    private long _inspected; // bytes at the start of the unconsumed data already inspected

    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        ReadResult result = await inner.ReadAsync(cancellationToken).ConfigureAwait(false);
        Inspect(result.Buffer);
        return result;
    }

    public override bool TryRead(out ReadResult result)
    {
        if (!inner.TryRead(out result))
        {
            return false;
        }

        Inspect(result.Buffer);
        return true;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        _inspected -= _last.Slice(_last.Start, consumed).Length;
        _last = default;
        inner.AdvanceTo(consumed, examined);
    }

    public override void CancelPendingRead() => inner.CancelPendingRead();

    public override void Complete(Exception? exception = null) => inner.Complete(exception);

    public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

    private void Inspect(ReadOnlySequence<byte> buffer)
    {
        _last = buffer;
        if (buffer.Length <= _inspected)
        {
            return;
        }

        foreach (ReadOnlyMemory<byte> segment in buffer.Slice(_inspected))
        {
            framing.Inspect(segment.Span);
        }

        _inspected = buffer.Length;
    }
}
