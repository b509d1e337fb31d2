using System.Device.I2c;

namespace EdgeSensors.Device.Tests;

/// <summary>
/// An I2C device that answers as a BME280 by its registers: chip id 0x60 at 0xD0, compensation words at 0x88… and
/// 0xE1…, raw measurements at 0xF7…0xFE. Calibration and raw values are the worked example of Bosch's datasheet
/// (dig_T1 27504 … adc_T 519888 → 25.08 °C; dig_P1 36477 … adc_P 415148 → 100653.27 Pa).
/// </summary>
public sealed class FakeBme280I2cDevice : I2cDevice
{
    private readonly byte[] _regs = new byte[256];
    private byte _pointer;

    public FakeBme280I2cDevice()
    {
        _regs[0xD0] = 0x60; // chip id: BME280
        Word(0x88, 27504);  // dig_T1
        Word(0x8A, 26435);  // dig_T2
        Word(0x8C, -1000);  // dig_T3
        int[] p = [36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000];
        for (int i = 0; i < p.Length; i++)
        {
            Word(0x8E + (2 * i), p[i]);
        }

        // Humidity compensation: typical values of a production part.
        _regs[0xA1] = 75;   // dig_H1
        Word(0xE1, 362);    // dig_H2
        _regs[0xE3] = 0;    // dig_H3
        _regs[0xE4] = 0x14; // dig_H4 = 0x14 << 4 | (0xE5 & 0x0F) = 324
        _regs[0xE5] = 0x04; // low nibble: H4; high nibble: H5 low bits (0)
        _regs[0xE6] = 0x00; // dig_H5 high bits
        _regs[0xE7] = 30;   // dig_H6
        SetRaw(415148, 519888, 30000);
    }

    public bool Unplugged { get; set; }

    public override I2cConnectionSettings ConnectionSettings { get; } = new(1, 0x76);

    /// <summary>Raw 20-bit pressure and temperature, 16-bit humidity, as the ADCs would leave them.</summary>
    public void SetRaw(int adcP, int adcT, int adcH)
    {
        _regs[0xF7] = (byte)(adcP >> 12);
        _regs[0xF8] = (byte)(adcP >> 4);
        _regs[0xF9] = (byte)((adcP & 0xF) << 4);
        _regs[0xFA] = (byte)(adcT >> 12);
        _regs[0xFB] = (byte)(adcT >> 4);
        _regs[0xFC] = (byte)((adcT & 0xF) << 4);
        _regs[0xFD] = (byte)(adcH >> 8);
        _regs[0xFE] = (byte)adcH;
    }

    public override byte ReadByte()
    {
        Check();
        return _regs[_pointer++];
    }

    public override void Read(Span<byte> buffer)
    {
        Check();
        for (int i = 0; i < buffer.Length; i++)
        {
            buffer[i] = _regs[_pointer++];
        }
    }

    public override void WriteByte(byte value)
    {
        Check();
        _pointer = value;
    }

    public override void Write(ReadOnlySpan<byte> buffer)
    {
        Check();
        if (buffer.Length == 0)
        {
            return;
        }

        _pointer = buffer[0];
        for (int i = 1; i < buffer.Length; i++)
        {
            // Writes to control registers are accepted; the soft reset (0xE0 ← 0xB6) changes nothing here.
            _regs[(byte)(buffer[0] + i - 1)] = buffer[i];
        }

        _regs[0xF3] = 0; // never busy
    }

    public override void WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
    {
        Write(writeBuffer);
        Read(readBuffer);
    }

    private void Check()
    {
        if (Unplugged)
        {
            throw new IOException("Error 121: no acknowledge from 0x76 (BME280 unplugged).");
        }
    }

    private void Word(int reg, int value)
    {
        _regs[reg] = (byte)value;
        _regs[reg + 1] = (byte)(value >> 8);
    }
}
