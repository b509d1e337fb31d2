using System.Buffers.Binary;
using System.Device.I2c;

namespace EdgeSensors.Device.Tests;

/// <summary>
/// A TI ADS1115 at register level (datasheet SBAS444, §9.6): pointer register; config register 0x01 (OS, MUX[14:12],
/// PGA[11:9], MODE, DR, comparator bits); conversion register 0x00, a big-endian two's-complement code of the input
/// selected by MUX at the full scale selected by PGA, saturating at 0x7FFF / 0x8000. Single-ended inputs read their
/// voltage against GND; the chip's own noise is about 1 LSB at ±0.256 V (datasheet Table 1: 7.8 µV typical at 8 SPS;
/// larger at 128 SPS, modelled as ±1.5 LSB at the narrowest range and ±0.5 LSB wider).
/// </summary>
public sealed class FakeAds1115I2cDevice(Func<double>[] inputs, int address, int seed) : I2cDevice
{
    private static readonly double[] FullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private readonly Random _random = new(seed);
    private byte _pointer;
    private ushort _config = 0x8583; // power-on default (datasheet)

    /// <summary>Conversions the chip made.</summary>
    public int Conversions { get; private set; }

    /// <summary>Conversions at each PGA setting (index = PGA[2:0]).</summary>
    public int[] ConversionsAtRange { get; } = new int[8];

    /// <summary>When set, the chip does not acknowledge (the isolated side lost power).</summary>
    public bool Unpowered { get; set; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, address);

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        Nack();
        ushort value = _pointer switch
        {
            0x00 => (ushort)Convert(),
            0x01 => (ushort)(_config | 0x8000), // OS = 1: no conversion in progress (it completes instantly here)
            0x02 => 0x8000,
            _ => 0x7FFF,
        };
        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(word, value);
        word[..Math.Min(2, buffer.Length)].CopyTo(buffer);
    }

    public override void WriteByte(byte value)
    {
        Nack();
        _pointer = (byte)(value & 0x03);
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Nack();
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = (byte)(buffer[0] & 0x03);
        if (buffer.Length >= 3 && _pointer == 0x01)
        {
            _config = BinaryPrimitives.ReadUInt16BigEndian(buffer[1..3]);
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private short Convert()
    {
        int mux = (_config >> 12) & 0x7;
        int pga = (_config >> 9) & 0x7;
        if (mux < 4)
        {
            throw new NotSupportedException("the node uses single-ended inputs only");
        }

        Conversions++;
        ConversionsAtRange[pga]++;
        double fs = FullScale[pga];
        double volts = inputs[mux - 4]();
        double noiseLsb = (pga >= 5 ? 1.5 : 0.5) * ((_random.NextDouble() * 2) - 1);
        double code = Math.Round((volts / fs * 32768) + noiseLsb);
        return (short)Math.Clamp(code, short.MinValue, short.MaxValue);
    }

    private void Nack()
    {
        if (Unpowered)
        {
            throw new IOException("Error 121 performing I2C data transfer (no acknowledge)");
        }
    }
}
