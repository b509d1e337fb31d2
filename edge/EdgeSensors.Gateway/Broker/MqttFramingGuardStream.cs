namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// Watches the MQTT framing of a connection as its bytes are read, without copying them: the first packet must be a
/// CONNECT of at most <c>maxConnect</c> bytes, and no packet may announce more than <c>maxPacket</c>. The check runs
/// on the fixed header (type and remaining length, MQTT 3.1.1 §2.2 / MQTT 5 §2.1.4), so an oversize packet is refused
/// as soon as its length is known — its body is never read into memory. Written by hand because MQTTnet's server
/// reads a whole packet before anything can look at it and has no incoming size limit of its own. The uplink's client
/// uses it the other way round (<paramref name="expectConnect"/> false): whatever the IOC's broker sends, no packet
/// larger than its limit is read (issue 29: one 256 MB PUBLISH took the gateway's memory to 888 MB).
/// </summary>
public sealed class MqttFramingGuardStream(Stream inner, int maxConnect, int maxPacket, bool expectConnect = true) : Stream
{
    private enum State
    {
        Header,
        Length,
        Body,
    }

    private State _state = State.Header;
    private bool _first = true;
    private int _type;
    private long _length;
    private long _multiplier = 1;
    private int _lengthBytes;
    private long _remaining;

    /// <summary>Why the connection was cut, once it was.</summary>
    public string? Violation { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => true;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        int n = await inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Inspect(buffer.Span[..n]);
        return n;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        int n = inner.Read(buffer, offset, count);
        Inspect(buffer.AsSpan(offset, n));
        return n;
    }

    public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default) => inner.WriteAsync(buffer, cancellationToken);

    public override Task WriteAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) => inner.WriteAsync(buffer, offset, count, cancellationToken);

    public override void Write(byte[] buffer, int offset, int count) => inner.Write(buffer, offset, count);

    public override Task FlushAsync(CancellationToken cancellationToken) => inner.FlushAsync(cancellationToken);

    public override void Flush() => inner.Flush();

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }

    private void Inspect(ReadOnlySpan<byte> bytes)
    {
        int i = 0;
        while (i < bytes.Length)
        {
            switch (_state)
            {
                case State.Header:
                    _type = bytes[i] >> 4;
                    if (_first && expectConnect && _type != 1)
                    {
                        Cut($"the first packet is not a CONNECT (type {_type})");
                    }

                    _state = State.Length;
                    _length = 0;
                    _multiplier = 1;
                    _lengthBytes = 0;
                    i++;
                    break;
                case State.Length:
                    byte b = bytes[i++];
                    _length += (b & 0x7F) * _multiplier;
                    _multiplier *= 128;
                    if (++_lengthBytes > 4)
                    {
                        Cut("malformed remaining length");
                    }

                    if ((b & 0x80) == 0)
                    {
                        bool connect = _first && expectConnect;
                        long limit = connect ? maxConnect : maxPacket;
                        if (_length > limit)
                        {
                            Cut(connect ? $"CONNECT of {_length} bytes (at most {limit})" : $"packet of {_length} bytes (at most {limit})");
                        }

                        _first = false;
                        _remaining = _length;
                        _state = _remaining == 0 ? State.Header : State.Body;
                    }

                    break;
                default:
                    int skip = (int)Math.Min(_remaining, bytes.Length - i);
                    i += skip;
                    _remaining -= skip;
                    if (_remaining == 0)
                    {
                        _state = State.Header;
                    }

                    break;
            }
        }
    }

    private void Cut(string why)
    {
        Violation = why;
        throw new IOException("MQTT framing refused: " + why);
    }
}
