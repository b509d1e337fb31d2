namespace EdgeSensors.Gateway.Broker;

/// <summary>
/// The MQTT framing check of one connection, fed its bytes in order as they are read, without copying them: the first
/// packet must be a CONNECT of at most <c>maxConnect</c> bytes, and no packet may announce more than <c>maxPacket</c>.
/// The check runs on the fixed header (type and remaining length, MQTT 3.1.1 §2.2 / MQTT 5 §2.1.4), so an oversize
/// packet is refused as soon as its length is known — its body is never read into memory. Written by hand because
/// MQTTnet reads a whole packet before anything can look at it and has no incoming size limit of its own; Kestrel's
/// limits are HTTP's. Used by <see cref="MqttFramingGuardStream"/> (the uplink's client, <paramref name="expectConnect"/>
/// false: issue 29, one 256 MB PUBLISH took the gateway's memory to 888 MB) and <see cref="MqttFramingGuardPipeReader"/>
/// (the node listener on Kestrel).
/// </summary>
public sealed class MqttFraming(int maxConnect, int maxPacket, bool expectConnect = true)
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

    /// <summary>Whether <see cref="Violation"/> is about the connection not speaking MQTT (as opposed to an oversize packet).</summary>
    public bool NotMqtt { get; private set; }

    /// <summary>Takes the next bytes read; throws <see cref="IOException"/> at the first violation.</summary>
    public void Inspect(ReadOnlySpan<byte> bytes)
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
                        Cut(notMqtt: true, $"the first packet is not a CONNECT (type {_type})");
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
                        Cut(notMqtt: true, "malformed remaining length");
                    }

                    if ((b & 0x80) == 0)
                    {
                        bool connect = _first && expectConnect;
                        long limit = connect ? maxConnect : maxPacket;
                        if (_length > limit)
                        {
                            Cut(notMqtt: false, connect ? $"CONNECT of {_length} bytes (at most {limit})" : $"packet of {_length} bytes (at most {limit})");
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

    private void Cut(bool notMqtt, string why)
    {
        Violation = why;
        NotMqtt = notMqtt;
        throw new IOException("MQTT framing refused: " + why);
    }
}
