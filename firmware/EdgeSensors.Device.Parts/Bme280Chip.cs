using System;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// Bosch BME280 at register level (datasheet BST-BME280-DS002, §5.3 memory map, §3.3 measurement flow):
/// chip id 0x60 at 0xD0; trimming words at 0x88–0xA1 and 0xE1–0xE7 (in NVM: read back after every power-up);
/// ctrl_hum 0xF2, status 0xF3, ctrl_meas 0xF4 (osrs_t[7:5], osrs_p[4:2], mode[1:0]), config 0xF5; data 0xF7–0xFE.
/// After power-on all control registers are 0x00: sleep mode, every measurement skipped. A forced measurement
/// writes the raw values of the channels enabled in ctrl_meas/ctrl_hum and the reset value 0x80000 (pressure,
/// temperature) or 0x8000 (humidity) for skipped ones (§4.1), then the chip returns to sleep. Changes to ctrl_hum
/// only take effect after a write to ctrl_meas (§5.4.3). Trimming words and raw values are the datasheet's worked
/// example (dig_T1 27504 … adc_T 519888 → 25.08 °C; adc_P 415148 → 100653.27 Pa) and typical humidity words.
/// </summary>
public sealed class Bme280Chip : I2cPart
{
    private readonly byte[] _regs = new byte[256];
    private byte _pointer;
    private byte _ctrlHumLatched;
    private int _adcP = 415148;
    private int _adcT = 519888;
    private int _adcH = 30000;

    public Bme280Chip(int address = 0x76)
        : base(address)
    {
        PowerOnReset();
    }

    /// <summary>Forced measurements the chip made with temperature enabled.</summary>
    public int Measurements { get; private set; }

    /// <summary>Forced measurements the chip made with every channel skipped (settings lost).</summary>
    public int SkippedMeasurements { get; private set; }

    /// <summary>The raw ADC values the next measurement produces (20-bit pressure and temperature, 16-bit humidity).</summary>
    public void SetRaw(int adcP, int adcT, int adcH)
    {
        _adcP = adcP;
        _adcT = adcT;
        _adcH = adcH;
    }

    protected override void PowerOnReset()
    {
        Array.Clear(_regs);
        _regs[0xD0] = 0x60;
        Word(0x88, 27504);  // dig_T1
        Word(0x8A, 26435);  // dig_T2
        Word(0x8C, -1000);  // dig_T3
        int[] p = [36477, -10685, 3024, 2855, 140, -7, 15500, -14600, 6000];
        for (int i = 0; i < p.Length; i++)
        {
            Word(0x8E + (2 * i), p[i]);
        }

        _regs[0xA1] = 75;   // dig_H1
        Word(0xE1, 362);    // dig_H2
        _regs[0xE3] = 0;    // dig_H3
        _regs[0xE4] = 0x14; // dig_H4 = 0x14 << 4 | (0xE5 & 0x0F) = 324
        _regs[0xE5] = 0x04;
        _regs[0xE6] = 0x00; // dig_H5
        _regs[0xE7] = 30;   // dig_H6

        // Data registers at their reset values (§5.4.7–5.4.9).
        _regs[0xF7] = 0x80;
        _regs[0xFA] = 0x80;
        _regs[0xFD] = 0x80;
        _ctrlHumLatched = 0;
        _pointer = 0;
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return;
        }

        _pointer = data[0];

        // A write of more than the pointer is register/value pairs (§6.2.1).
        for (int i = 0; i + 1 < data.Length; i += 2)
        {
            WriteRegister(data[i], data[i + 1]);
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        for (int i = 0; i < data.Length; i++)
        {
            data[i] = _regs[_pointer];
            _pointer = (byte)(_pointer + 1);
        }
    }

    private void WriteRegister(byte register, byte value)
    {
        switch (register)
        {
            case 0xE0:
                if (value == 0xB6)
                {
                    PowerOnReset();
                }

                return;
            case 0xF2:
                _regs[0xF2] = (byte)(value & 0x07);
                return;
            case 0xF4:
                _regs[0xF4] = value;
                _ctrlHumLatched = _regs[0xF2];
                if ((value & 0x03) == 0x01 || (value & 0x03) == 0x02)
                {
                    Measure();
                }

                return;
            case 0xF5:
                _regs[0xF5] = (byte)(value & 0xFD);
                return;
            default:
                // Read-only registers ignore writes.
                return;
        }
    }

    private void Measure()
    {
        int osrsT = (_regs[0xF4] >> 5) & 0x07;
        int osrsP = (_regs[0xF4] >> 2) & 0x07;
        int osrsH = _ctrlHumLatched & 0x07;
        Put20(0xFA, osrsT == 0 ? 0x80000 : _adcT);
        Put20(0xF7, osrsP == 0 ? 0x80000 : _adcP);
        int h = osrsH == 0 ? 0x8000 : _adcH;
        _regs[0xFD] = (byte)(h >> 8);
        _regs[0xFE] = (byte)h;
        if (osrsT == 0 && osrsP == 0 && osrsH == 0)
        {
            SkippedMeasurements++;
        }
        else
        {
            Measurements++;
        }

        // A forced measurement ends in sleep mode (§3.3.3); it completes before the next transaction here.
        if ((_regs[0xF4] & 0x03) != 0x03)
        {
            _regs[0xF4] = (byte)(_regs[0xF4] & 0xFC);
        }
    }

    private void Put20(int register, int value)
    {
        _regs[register] = (byte)(value >> 12);
        _regs[register + 1] = (byte)(value >> 4);
        _regs[register + 2] = (byte)((value & 0xF) << 4);
    }

    private void Word(int reg, int value)
    {
        _regs[reg] = (byte)value;
        _regs[reg + 1] = (byte)(value >> 8);
    }
}
