// Executable nanoFramework.Iot.Device.Ads1115 1.2.869 on the simulated board, with the behaviour of the library's
// Ads1115.cs: every configuration write starts a single-shot conversion (OS = 1, always power-down mode) and is
// followed by polling the config register until OS reads 1, for at most 10 ms, then a TimeoutException; the write's
// own transfer result is not looked at; the conversion register is read with WriteByte + Read (WriteByte throws
// IOException when nobody acknowledges). ReadRaw with new settings writes them and reads that conversion.
using System;
using System.Buffers.Binary;
using System.Device.I2c;
using System.IO;

namespace Iot.Device.Ads1115
{
    public class Ads1115 : IDisposable
    {
        private I2cDevice? _i2cDevice;
        private InputMultiplexer _inputMultiplexer;
        private MeasuringRange _measuringRange;
        private DataRate _dataRate;
        private DeviceMode _deviceMode;

        public Ads1115(I2cDevice i2cDevice, InputMultiplexer inputMultiplexer = InputMultiplexer.AIN0, MeasuringRange measuringRange = MeasuringRange.FS4096, DataRate dataRate = DataRate.SPS128, DeviceMode deviceMode = DeviceMode.Continuous)
        {
            _i2cDevice = i2cDevice ?? throw new ArgumentNullException(nameof(i2cDevice));
            _inputMultiplexer = inputMultiplexer;
            _measuringRange = measuringRange;
            _dataRate = dataRate;
            _deviceMode = deviceMode;
            SetConfig();
            ResetThresholds();
        }

        public short ReadRaw(InputMultiplexer inputMultiplexer, MeasuringRange measuringRange, DataRate dataRate)
        {
            if (inputMultiplexer != _inputMultiplexer || measuringRange != _measuringRange || dataRate != _dataRate)
            {
                _inputMultiplexer = inputMultiplexer;
                _measuringRange = measuringRange;
                _dataRate = dataRate;
                SetConfig();
                return ReadRawInternal();
            }

            if (_deviceMode == DeviceMode.PowerDown)
            {
                SetConfig();
            }

            return ReadRawInternal();
        }

        public void Dispose()
        {
            if (_i2cDevice != null)
            {
                ResetThresholds();
                _i2cDevice.Dispose();
                _i2cDevice = null;
            }
        }

        private void SetConfig()
        {
            byte hi = (byte)(0x80 | ((byte)_inputMultiplexer << 4) | ((byte)_measuringRange << 1) | (byte)DeviceMode.PowerDown);
            byte lo = (byte)(((byte)_dataRate << 5) | 0x03); // traditional comparator, active low, non-latching, disabled
            byte[] buffer = new byte[] { 0x01, hi, lo };
            Device.Write(buffer);
            WaitWhileBusy();
            if (_deviceMode == DeviceMode.Continuous)
            {
                Device.Write(buffer);
                WaitWhileBusy();
                buffer[1] = (byte)(hi & 0xFE);
                Device.Write(buffer);
            }
        }

        private void ResetThresholds()
        {
            Device.Write(new byte[] { 0x02, 0x80, 0x00 });
            Device.Write(new byte[] { 0x03, 0x7F, 0xFF });
        }

        private void WaitWhileBusy()
        {
            // The library polls every 2 µs for 10 ms; each poll is an I2C transaction of ~0.1 ms at 400 kHz.
            int polls = 100;
            while ((ReadConfigRegister() & 0x8000) == 0)
            {
                if (--polls <= 0)
                {
                    throw new TimeoutException("Timeout waiting for ADC to complete conversion");
                }
            }
        }

        private ushort ReadConfigRegister()
        {
            byte[] result = new byte[2];
            Device.WriteRead(new byte[] { 0x01 }, result);
            return BinaryPrimitives.ReadUInt16BigEndian(result);
        }

        private short ReadRawInternal()
        {
            byte[] result = new byte[2];
            Device.WriteByte(0x00);
            Device.Read(result);
            return BinaryPrimitives.ReadInt16BigEndian(result);
        }

        private I2cDevice Device => _i2cDevice ?? throw new ObjectDisposedException(nameof(Ads1115));
    }
}
