using System.Device.I2c;
using EdgeSensors.Device.Parts;

namespace EdgeSensors.Device.Tests;

/// <summary>
/// A desktop <see cref="I2cDevice"/> in front of the register-level BME280 the simulated board uses
/// (<see cref="Bme280Chip"/>: Bosch's datasheet example trimming and raw values, 25.08 °C and 100653.27 Pa), so the
/// desktop Iot.Device.Bindings driver talks to the same chip model as the device program does. The chip is powered.
/// </summary>
public sealed class FakeBme280I2cDevice : I2cDevice
{
    private readonly Bme280Chip _chip = new(0x76);

    public FakeBme280I2cDevice()
    {
        _chip.SetPowered(true);
    }

    /// <summary>Unplugged from the bus: transfers are not acknowledged.</summary>
    public bool Unplugged
    {
        get => _chip.Unplugged;
        set => _chip.Unplugged = value;
    }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x76);

    /// <summary>Raw 20-bit pressure and temperature, 16-bit humidity, as the chip's ADCs would leave them.</summary>
    public void SetRaw(int adcP, int adcT, int adcH) => _chip.SetRaw(adcP, adcT, adcH);

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
            throw new IOException("Error 121: no acknowledge from 0x76 (BME280 unplugged).");
        }
    }

    public override void WriteByte(byte value) => Write([value]);

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        if (!_chip.TryWrite(buffer))
        {
            throw new IOException("Error 121: no acknowledge from 0x76 (BME280 unplugged).");
        }
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }
}
