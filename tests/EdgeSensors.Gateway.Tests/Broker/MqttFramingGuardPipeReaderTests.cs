using System.Buffers;
using System.IO.Pipelines;
using CsCheck;
using EdgeSensors.Gateway.Broker;

namespace EdgeSensors.Gateway.Tests.Broker;

/// <summary>
/// Issue 33: the framing guard now reads a Kestrel pipe, whose reader consumes whole packets and leaves partial ones
/// for the next read. Whatever the bytes and however the network splits them, the guard must inspect each byte exactly
/// once: its verdict is the framing check's over the whole stream at once, and every packet before a violation reaches
/// the reader intact.
/// </summary>
public sealed class MqttFramingGuardPipeReaderTests
{
    private const int MaxConnect = 2048;
    private const int MaxPacket = 600;

    /// <summary>A packet: fixed header (type, remaining length) and a body of the announced length, or shorter when cut.</summary>
    private static readonly Gen<byte[]> Packet =
        Gen.Select(Gen.Int[1, 15], Gen.Frequency((8, Gen.Int[0, 300]), (1, Gen.Int[301, 700]), (1, Gen.Int[700, 300_000_000])))
            .Select((type, length) => Encode(type, length, Math.Min(length, 400)));

    /// <summary>Streams that mostly begin with a CONNECT, sometimes with anything else, and sometimes a malformed length.</summary>
    private static readonly Gen<byte[]> Stream =
        Gen.Select(Gen.Frequency((6, Gen.Int[0, 2100]), (1, Gen.Const(-1))), Packet.Array[0, 12], Gen.Int[0, 20])
            .Select((connect, rest, junk) =>
            {
                var all = new List<byte>();
                all.AddRange(connect < 0 ? Encode(3, 10, 10) : Encode(1, connect, connect));
                foreach (byte[] p in rest)
                {
                    all.AddRange(p);
                }

                if (junk == 0)
                {
                    all.AddRange([0x30, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]); // a fifth length byte: malformed
                }

                return all.ToArray();
            });

    [Fact]
    public void Every_split_of_any_stream_gets_the_verdict_of_the_whole_stream_and_its_packets_intact()
    {
        Gen.Select(Stream, Gen.Int[1, 64].Array[1, 40]).Sample((bytes, splits) =>
        {
            string? expected = Verdict(bytes);
            (string? actual, List<byte[]> packets) = ReadThroughGuardAsync(bytes, splits).GetAwaiter().GetResult();
            if (actual != expected)
            {
                return false;
            }

            // Every whole packet read is one the stream holds, in order, up to where it was cut.
            int offset = 0;
            foreach (byte[] p in packets)
            {
                if (!bytes.AsSpan(offset, p.Length).SequenceEqual(p))
                {
                    return false;
                }

                offset += p.Length;
            }

            return expected != null || offset == bytes.Length || !WholePacketsUpTo(bytes, bytes.Length);
        }, iter: 400, seed: "0N0XIzNsQ0O2");
    }

    [Fact]
    public async Task An_oversize_CONNECT_is_cut_on_its_header_before_its_body_arrives()
    {
        var pipe = new Pipe();
        var framing = new MqttFraming(MaxConnect, MaxPacket);
        var guard = new MqttFramingGuardPipeReader(pipe.Reader, framing);
        await pipe.Writer.WriteAsync(new byte[] { 0x10, 0x80, 0x80, 0x80, 0x01 }); // 2 MiB announced, nothing of it sent
        IOException cut = await Assert.ThrowsAsync<IOException>(async () => await guard.ReadAsync());
        Assert.Contains("CONNECT of 2097152 bytes", cut.Message, StringComparison.Ordinal);
        Assert.False(framing.NotMqtt);
    }

    private static string? Verdict(byte[] bytes)
    {
        var framing = new MqttFraming(MaxConnect, MaxPacket);
        try
        {
            framing.Inspect(bytes);
        }
        catch (IOException)
        {
        }

        return framing.Violation;
    }

    /// <summary>
    /// Writes the stream in the given splits, reading after each as MQTTnet does (whole packets consumed, the rest only
    /// examined), so the reader sees every partial packet the network could leave it.
    /// </summary>
    private static async Task<(string? Violation, List<byte[]> Packets)> ReadThroughGuardAsync(byte[] bytes, int[] splits)
    {
        var pipe = new Pipe(new PipeOptions(pauseWriterThreshold: 0));
        var framing = new MqttFraming(MaxConnect, MaxPacket);
        var guard = new MqttFramingGuardPipeReader(pipe.Reader, framing);
        var packets = new List<byte[]>();
        int at = 0;
        try
        {
            for (int i = 0; ; i++)
            {
                if (at < bytes.Length)
                {
                    int n = Math.Min(splits[i % splits.Length], bytes.Length - at);
                    await pipe.Writer.WriteAsync(bytes.AsMemory(at, n));
                    at += n;
                }
                else
                {
                    await pipe.Writer.CompleteAsync();
                }

                ReadResult r = await guard.ReadAsync();
                ReadOnlySequence<byte> buffer = r.Buffer;
                while (TryTakePacket(ref buffer, out byte[]? packet))
                {
                    packets.Add(packet!);
                }

                guard.AdvanceTo(buffer.Start, buffer.End);
                if (r.IsCompleted)
                {
                    return (framing.Violation, packets);
                }
            }
        }
        catch (IOException)
        {
            return (framing.Violation, packets);
        }
    }

    private static bool TryTakePacket(ref ReadOnlySequence<byte> buffer, out byte[]? packet)
    {
        packet = null;
        byte[] head = buffer.Slice(0, Math.Min(5, buffer.Length)).ToArray();
        if (!TryLength(head, out int lengthBytes, out long length) || buffer.Length < 1 + lengthBytes + length)
        {
            return false;
        }

        long size = 1 + lengthBytes + length;
        packet = buffer.Slice(0, size).ToArray();
        buffer = buffer.Slice(size);
        return true;
    }

    private static bool TryLength(byte[] head, out int lengthBytes, out long length)
    {
        length = 0;
        long multiplier = 1;
        for (lengthBytes = 1; lengthBytes < head.Length && lengthBytes <= 4; lengthBytes++)
        {
            byte b = head[lengthBytes];
            length += (b & 0x7F) * multiplier;
            multiplier *= 128;
            if ((b & 0x80) == 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool WholePacketsUpTo(byte[] bytes, int end)
    {
        var seq = new ReadOnlySequence<byte>(bytes, 0, end);
        while (TryTakePacket(ref seq, out _))
        {
        }

        return seq.Length == 0;
    }

    private static byte[] Encode(int type, int length, int bodyBytes)
    {
        var b = new List<byte> { (byte)(type << 4) };
        int l = length;
        do
        {
            byte d = (byte)(l % 128);
            l /= 128;
            b.Add(l > 0 ? (byte)(d | 0x80) : d);
        }
        while (l > 0);
        b.AddRange(new byte[bodyBytes]);
        return b.ToArray();
    }
}
