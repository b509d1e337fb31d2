using System.Device.I2c;
using EdgeSensors.Device.Parts;

namespace EdgeSensors.Device.Tests;

/// <summary>
/// A desktop <see cref="I2cDevice"/> in front of the register-level ADS1115 the simulated board uses
/// (<see cref="Ads1115Chip"/>: TI SBAS444 registers, inputs clipped at its 3.3 V supply, typical gain and offset error,
/// noise per range), so the desktop Iot.Device.Bindings driver talks to the same chip model as the device program.
/// </summary>
public sealed class FakeAds1115I2cDevice : I2cDevice
{
    private readonly Ads1115Chip _chip;

    public FakeAds1115I2cDevice(Func<double>[] inputs, int address, int seed)
    {
        _chip = new Ads1115Chip(address, 3.3, inputs, seed) { GainError = 0.0001, OffsetLsb = 1 };
        _chip.SetPowered(true);
        ConnectionSettings = new I2cConnectionSettings(1, address);
    }

    /// <summary>Conversions the chip made.</summary>
    public int Conversions => _chip.Conversions;

    /// <summary>Conversions at each PGA setting (index = PGA[2:0]).</summary>
    public int[] ConversionsAtRange => _chip.ConversionsAtRange;

    /// <summary>When set, the chip does not acknowledge (the isolated side lost power).</summary>
    public bool Unpowered
    {
        get => _chip.Unplugged;
        set => _chip.Unplugged = value;
    }

    public override I2cConnectionSettings ConnectionSettings { get; }

    public override byte ReadByte()
    {
        Span<byte> one = stackalloc byte[1];
        Read(one);
        return one[0];
    }

    public override void Read(Span<byte> buffer)
    {
        if (!_chip.TryRead(buffer))
        {
            throw new IOException("Error 121 performing I2C data transfer (no acknowledge)");
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_chip.TryWrite(buffer))
        {
            throw new IOException("Error 121 performing I2C data transfer (no acknowledge)");
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }
}
