using System;
using System.Buffers.Binary;

namespace EdgeSensors.Device.Parts;

/// <summary>
/// TI ADS1115 at register level (datasheet SBAS444, §9.5–9.6): pointer register; conversion register 0x00 (a
/// big-endian two's-complement code); config register 0x01 (OS[15], MUX[14:12], PGA[11:9], MODE[8], DR[7:5],
/// comparator bits), reset value 0x8583 after power-on; threshold registers 0x02/0x03. Writing OS = 1 in
/// single-shot mode starts one conversion. The inputs must stay between GND − 0.3 V and VDD + 0.3 V (absolute
/// maximum ratings; the ESD diodes clamp beyond), and the datasheet's note on the full-scale range applies: no code
/// is reachable for an input above VDD — on a 3.3 V supply nothing reads above ~26,400 at ±4.096 V.
/// Noise: ±0.5 LSB at the wide ranges, ±1.5 LSB at ±0.256 V (Table 1, 128 SPS). Errors (electrical characteristics,
/// FS = ±2.048 V, including the PGA and the internal reference): gain error 0.01 % typical, 0.15 % maximum at 25 °C;
/// offset error ±3 LSB maximum — this chip's own, set by <see cref="GainError"/> and <see cref="OffsetLsb"/>.
/// </summary>
public sealed class Ads1115Chip : I2cPart
{
    private static readonly double[] FullScale = [6.144, 4.096, 2.048, 1.024, 0.512, 0.256, 0.256, 0.256];
    private readonly Func<double>[] _inputs;
    private readonly Random _noise;
    private byte _pointer;
    private ushort _config;
    private short _conversion;

    /// <param name="address">0x48 (ADDR → GND) … 0x4B.</param>
    /// <param name="supplyVolts">VDD.</param>
    /// <param name="inputs">AIN0–AIN3 in volts against GND, read when a conversion is made.</param>
    /// <param name="seed">Seed of the conversion noise.</param>
    public Ads1115Chip(int address, double supplyVolts, Func<double>[] inputs, int seed)
        : base(address)
    {
        if (inputs.Length != 4)
        {
            throw new ArgumentException("the ADS1115 has four inputs", nameof(inputs));
        }

        SupplyVolts = supplyVolts;
        _inputs = inputs;
        _noise = new Random(seed);
        PowerOnReset();
    }

    /// <summary>VDD.</summary>
    public double SupplyVolts { get; set; }

    /// <summary>This chip's gain error, a fraction (0.0015 = the datasheet's 0.15 % maximum).</summary>
    public double GainError { get; set; }

    /// <summary>This chip's offset error, LSB (the datasheet's maximum is ±3).</summary>
    public double OffsetLsb { get; set; }

    /// <summary>Conversions made.</summary>
    public int Conversions { get; private set; }

    /// <summary>Conversions at each PGA setting (index = PGA[2:0]).</summary>
    public int[] ConversionsAtRange { get; } = new int[8];

    /// <summary>Replaces what drives one input.</summary>
    public void Connect(int input, Func<double> volts) => _inputs[input] = volts;

    protected override void PowerOnReset()
    {
        _config = 0x8583;
        _conversion = 0;
        _pointer = 0;
    }

    protected override void OnWrite(ReadOnlySpan<byte> data)
    {
        if (data.Length == 0)
        {
            return;
        }

        _pointer = (byte)(data[0] & 0x03);
        if (data.Length >= 3 && _pointer == 0x01)
        {
            ushort config = BinaryPrimitives.ReadUInt16BigEndian(data[1..3]);
            _config = (ushort)(config & 0x7FFF);
            bool singleShot = (config & 0x0100) != 0;
            if (!singleShot || (config & 0x8000) != 0)
            {
                Convert();
            }
        }
    }

    protected override void OnRead(Span<byte> data)
    {
        ushort value = _pointer switch
        {
            0x00 => (ushort)_conversion,

            // OS reads 1 when no conversion is in progress: conversions complete before the next transaction here.
            0x01 => (ushort)(_config | 0x8000),
            0x02 => 0x8000,
            _ => 0x7FFF,
        };
        Span<byte> word = stackalloc byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(word, value);
        word[..Math.Min(2, data.Length)].CopyTo(data);
    }

    private void Convert()
    {
        int mux = (_config >> 12) & 0x7;
        int pga = (_config >> 9) & 0x7;
        double volts;
        if (mux >= 4)
        {
            volts = Clamp(_inputs[mux - 4]());
        }
        else
        {
            int[][] pairs = [[0, 1], [0, 3], [1, 3], [2, 3]];
            volts = Clamp(_inputs[pairs[mux][0]]()) - Clamp(_inputs[pairs[mux][1]]());
        }

        double fs = FullScale[pga];
        double noiseLsb = (pga >= 5 ? 1.5 : 0.5) * ((_noise.NextDouble() * 2) - 1);
        double code = Math.Round((volts / fs * 32768 * (1 + GainError)) + OffsetLsb + noiseLsb);
        _conversion = (short)Math.Clamp(code, short.MinValue, short.MaxValue);
        Conversions++;
        ConversionsAtRange[pga]++;
    }

    /// <summary>What the input stage sees: between GND − 0.3 V and VDD (above VDD the ESD diode conducts and the code stops rising).</summary>
    private double Clamp(double volts) => Math.Clamp(volts, -0.3, SupplyVolts);
}
