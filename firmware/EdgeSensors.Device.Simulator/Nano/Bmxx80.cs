// Executable nanoFramework.Iot.Device.Bmxx80 1.2.869 on the simulated board, with the behaviour of the library's
// Bmxx80Base.cs, Bmx280Base.cs and Bme280.cs: the constructor reads the chip id (an unanswered bus throws
// IOException, a wrong id too), reads the trimming words and writes the default configuration (temperature and
// pressure ×1, humidity ×1, filter off, standby 125 ms); the sampling settings are kept in fields of the binding and
// the *IsValid flags of a read follow those fields, not the chip; Read() sets forced mode (keeping ctrl_meas's
// oversampling bits as the chip has them) unless the chip is in normal mode, waits the measurement time and reads.
// The compensation is the double-precision formulas of Bosch's datasheet (BST-BME280-DS002, §8.1).
using System;
using System.Device.I2c;
using System.IO;
using EdgeSensors.Device.Simulator.Runtime;
using UnitsNet;

namespace Iot.Device.Bmxx80
{
    public enum Sampling : byte
    {
        Skipped = 0b000,
        UltraLowPower = 0b001,
        LowPower = 0b010,
        Standard = 0b011,
        HighResolution = 0b100,
        UltraHighResolution = 0b101,
    }

    public abstract class Bmxx80Base : IDisposable
    {
        protected const byte ChipIdRegister = 0xD0;
        protected const byte ControlRegister = 0xF4;
        private static readonly int[] MeasCycles = { 0, 7, 9, 14, 23, 44 };
        private I2cDevice _i2cDevice;
        private Sampling _temperatureSampling;
        private Sampling _pressureSampling;

        protected Bmxx80Base(byte deviceId, I2cDevice i2cDevice)
        {
            _i2cDevice = i2cDevice ?? throw new ArgumentNullException(nameof(i2cDevice));
            byte signature = Read8BitsFromRegister(ChipIdRegister);
            if (signature != deviceId)
            {
                throw new IOException("Unable to verify manufacturer ID");
            }

            ReadCalibrationData();
            SetDefaultConfiguration();
        }

        public Sampling TemperatureSampling
        {
            get => _temperatureSampling;
            set
            {
                byte status = Read8BitsFromRegister(ControlRegister);
                status = (byte)((status & 0b0001_1111) | ((byte)value << 5));
                I2c.Write(new[] { ControlRegister, status });
                _temperatureSampling = value;
            }
        }

        public Sampling PressureSampling
        {
            get => _pressureSampling;
            set
            {
                byte status = Read8BitsFromRegister(ControlRegister);
                status = (byte)((status & 0b1110_0011) | ((byte)value << 2));
                I2c.Write(new[] { ControlRegister, status });
                _pressureSampling = value;
            }
        }

        protected I2cDevice I2c => _i2cDevice;

        protected double TemperatureFine { get; private set; }

        protected ushort DigT1 { get; private set; }

        protected short DigT2 { get; private set; }

        protected short DigT3 { get; private set; }

        protected ushort DigP1 { get; private set; }

        protected short DigP2 { get; private set; }

        protected short DigP3 { get; private set; }

        protected short DigP4 { get; private set; }

        protected short DigP5 { get; private set; }

        protected short DigP6 { get; private set; }

        protected short DigP7 { get; private set; }

        protected short DigP8 { get; private set; }

        protected short DigP9 { get; private set; }

        public void Dispose()
        {
            _i2cDevice?.Dispose();
            _i2cDevice = null!;
        }

        protected virtual void ReadCalibrationData()
        {
            DigT1 = (ushort)Read16LittleEndian(0x88);
            DigT2 = (short)Read16LittleEndian(0x8A);
            DigT3 = (short)Read16LittleEndian(0x8C);
            DigP1 = (ushort)Read16LittleEndian(0x8E);
            DigP2 = (short)Read16LittleEndian(0x90);
            DigP3 = (short)Read16LittleEndian(0x92);
            DigP4 = (short)Read16LittleEndian(0x94);
            DigP5 = (short)Read16LittleEndian(0x96);
            DigP6 = (short)Read16LittleEndian(0x98);
            DigP7 = (short)Read16LittleEndian(0x9A);
            DigP8 = (short)Read16LittleEndian(0x9C);
            DigP9 = (short)Read16LittleEndian(0x9E);
        }

        protected virtual void SetDefaultConfiguration()
        {
            PressureSampling = Sampling.UltraLowPower;
            TemperatureSampling = Sampling.UltraLowPower;
        }

        protected int MeasurementCycles(Sampling sampling) => MeasCycles[(int)sampling];

        protected byte Read8BitsFromRegister(byte register)
        {
            _i2cDevice.WriteByte(register);
            return _i2cDevice.ReadByte();
        }

        protected int Read16LittleEndian(byte register)
        {
            byte[] bytes = ReadBytes(register, 2);
            return bytes[0] | (bytes[1] << 8);
        }

        protected int Read16BigEndian(byte register)
        {
            byte[] bytes = ReadBytes(register, 2);
            return (bytes[0] << 8) | bytes[1];
        }

        protected int Read24BigEndian(byte register)
        {
            byte[] bytes = ReadBytes(register, 3);
            return (bytes[0] << 16) | (bytes[1] << 8) | bytes[2];
        }

        protected bool TryReadTemperatureCore(out Temperature temperature)
        {
            if (TemperatureSampling == Sampling.Skipped)
            {
                temperature = default;
                return false;
            }

            int adcT = Read24BigEndian(0xFA) >> 4;
            double var1 = ((adcT / 16384.0) - (DigT1 / 1024.0)) * DigT2;
            double var2 = ((adcT / 131072.0) - (DigT1 / 8192.0)) * ((adcT / 131072.0) - (DigT1 / 8192.0)) * DigT3;
            TemperatureFine = var1 + var2;
            temperature = Temperature.FromDegreesCelsius(TemperatureFine / 5120.0);
            return true;
        }

        protected bool TryReadPressureCore(out Pressure pressure, bool skipTempFineRead = false)
        {
            if (PressureSampling == Sampling.Skipped)
            {
                pressure = default;
                return false;
            }

            if (!skipTempFineRead)
            {
                TryReadTemperatureCore(out _);
            }

            int adcP = Read24BigEndian(0xF7) >> 4;
            double var1 = (TemperatureFine / 2.0) - 64000.0;
            double var2 = var1 * var1 * DigP6 / 32768.0;
            var2 += var1 * DigP5 * 2.0;
            var2 = (var2 / 4.0) + (DigP4 * 65536.0);
            var1 = ((DigP3 * var1 * var1 / 524288.0) + (DigP2 * var1)) / 524288.0;
            var1 = (1.0 + (var1 / 32768.0)) * DigP1;
            if (var1 == 0.0)
            {
                pressure = Pressure.FromPascals(0);
                return true;
            }

            double p = 1048576.0 - adcP;
            p = (p - (var2 / 4096.0)) * 6250.0 / var1;
            var1 = DigP9 * p * p / 2147483648.0;
            var2 = p * DigP8 / 32768.0;
            pressure = Pressure.FromPascals(p + ((var1 + var2 + DigP7) / 16.0));
            return true;
        }

        private byte[] ReadBytes(byte register, int count)
        {
            byte[] bytes = new byte[count];
            _i2cDevice.WriteByte(register);
            if (_i2cDevice.Read(bytes).Status != I2cTransferStatus.FullTransfer)
            {
                throw new IOException();
            }

            return bytes;
        }
    }

    public abstract class Bmx280Base : Bmxx80Base
    {
        public const byte DefaultI2cAddress = 0x77;

        public const byte SecondaryI2cAddress = 0x76;

        protected Bmx280Base(byte deviceId, I2cDevice i2cDevice)
            : base(deviceId, i2cDevice)
        {
        }

        public PowerMode.Bmx280PowerMode ReadPowerMode()
        {
            byte read = Read8BitsFromRegister(ControlRegister);
            byte mode = (byte)(read & 0b11);
            if (mode == 0b10)
            {
                mode = (byte)PowerMode.Bmx280PowerMode.Forced; // both 01 and 10 are forced mode (datasheet §5.4.5)
            }

            return (PowerMode.Bmx280PowerMode)mode;
        }

        public void SetPowerMode(PowerMode.Bmx280PowerMode powerMode)
        {
            byte read = Read8BitsFromRegister(ControlRegister);
            I2c.Write(new[] { ControlRegister, (byte)((read & 0b1111_1100) | (byte)powerMode) });
        }

        public virtual int GetMeasurementDuration() => MeasurementCycles(PressureSampling) + MeasurementCycles(TemperatureSampling);

        protected override void SetDefaultConfiguration()
        {
            base.SetDefaultConfiguration();
            byte config = Read8BitsFromRegister(0xF5);
            I2c.Write(new[] { (byte)0xF5, (byte)((config & 0b0000_0011) | (0b010 << 5)) }); // filter off, standby 125 ms
        }
    }

    public class Bme280 : Bmx280Base
    {
        private const byte DeviceId = 0x60;
        private Sampling _humiditySampling;
        private byte _h1;
        private short _h2;
        private byte _h3;
        private short _h4;
        private short _h5;
        private sbyte _h6;

        public Bme280(I2cDevice i2cDevice)
            : base(DeviceId, i2cDevice)
        {
        }

        public Sampling HumiditySampling
        {
            get => _humiditySampling;
            set
            {
                byte status = Read8BitsFromRegister(0xF2);
                I2c.Write(new[] { (byte)0xF2, (byte)((status & 0b1111_1000) | (byte)value) });

                // ctrl_hum takes effect after a write to ctrl_meas.
                byte measure = Read8BitsFromRegister(ControlRegister);
                I2c.Write(new[] { ControlRegister, measure });
                _humiditySampling = value;
            }
        }

        public override int GetMeasurementDuration() => base.GetMeasurementDuration() + MeasurementCycles(HumiditySampling);

        public ReadResult.Bme280ReadResult Read()
        {
            if (ReadPowerMode() != PowerMode.Bmx280PowerMode.Normal)
            {
                SetPowerMode(PowerMode.Bmx280PowerMode.Forced);
                BoardThread.Sleep(GetMeasurementDuration());
            }

            bool t = TryReadTemperatureCore(out Temperature temperature);
            bool p = TryReadPressureCore(out Pressure pressure, skipTempFineRead: true);
            bool h = TryReadHumidityCore(out RelativeHumidity humidity);
            return new ReadResult.Bme280ReadResult(temperature, t, pressure, p, humidity, h);
        }

        protected override void ReadCalibrationData()
        {
            base.ReadCalibrationData();
            _h1 = Read8BitsFromRegister(0xA1);
            _h2 = (short)Read16LittleEndian(0xE1);
            _h3 = Read8BitsFromRegister(0xE3);
            byte e4 = Read8BitsFromRegister(0xE4);
            byte e5 = Read8BitsFromRegister(0xE5);
            byte e6 = Read8BitsFromRegister(0xE6);
            _h4 = (short)((e4 << 4) | (e5 & 0x0F));
            _h5 = (short)((e6 << 4) | (e5 >> 4));
            _h6 = (sbyte)Read8BitsFromRegister(0xE7);
        }

        protected override void SetDefaultConfiguration()
        {
            base.SetDefaultConfiguration();
            HumiditySampling = Sampling.UltraLowPower;
        }

        private bool TryReadHumidityCore(out RelativeHumidity humidity)
        {
            if (HumiditySampling == Sampling.Skipped)
            {
                humidity = default;
                return false;
            }

            int adcH = Read16BigEndian(0xFD);
            double varH = TemperatureFine - 76800.0;
            varH = (adcH - ((_h4 * 64.0) + (_h5 / 16384.0 * varH))) * (_h2 / 65536.0 * (1.0 + (_h6 / 67108864.0 * varH * (1.0 + (_h3 / 67108864.0 * varH)))));
            varH *= 1.0 - (_h1 * varH / 524288.0);
            humidity = RelativeHumidity.FromPercent(Math.Clamp(varH, 0, 100));
            return true;
        }
    }
}

namespace Iot.Device.Bmxx80.PowerMode
{
    public enum Bmx280PowerMode : byte
    {
        Sleep = 0b00,
        Forced = 0b01,
        Normal = 0b11,
    }
}

namespace Iot.Device.Bmxx80.ReadResult
{
    using UnitsNet;

    public class Bmp280ReadResult
    {
        public Bmp280ReadResult(Temperature temperature, bool temperatureIsValid, Pressure pressure, bool pressureIsValid)
        {
            Temperature = temperature;
            TemperatureIsValid = temperatureIsValid;
            Pressure = pressure;
            PressureIsValid = pressureIsValid;
        }

        public Temperature Temperature { get; }

        public bool TemperatureIsValid { get; }

        public Pressure Pressure { get; }

        public bool PressureIsValid { get; }
    }

    public class Bme280ReadResult : Bmp280ReadResult
    {
        public Bme280ReadResult(Temperature temperature, bool temperatureIsValid, Pressure pressure, bool pressureIsValid, RelativeHumidity humidity, bool humidityIsValid)
            : base(temperature, temperatureIsValid, pressure, pressureIsValid)
        {
            Humidity = humidity;
            HumidityIsValid = humidityIsValid;
        }

        public RelativeHumidity Humidity { get; }

        public bool HumidityIsValid { get; }
    }
}
