// Executable nanoFramework.System.Device.I2c 1.1.29 on the simulated board: the public surface the device program
// uses (Create, settings, Dispose) and the transfers the bindings use. As in the library's I2cDevice.cs, ReadByte and
// WriteByte throw IOException when the transfer is not acknowledged; Read, Write and WriteRead return an
// I2cTransferResult saying so. Bus 1 reaches the board's parts only when the program has routed I2C1 to the pins
// they are wired to (GPIO 21 data, GPIO 22 clock) with Configuration.SetPinFunction.
using System;
using System.IO;
using EdgeSensors.Device.Simulator.Board;
using EdgeSensors.Device.Parts;

namespace System.Device.I2c
{
    public enum I2cTransferStatus
    {
        UnknownError = 0,
        FullTransfer = 1,
        ClockStretchTimeout = 2,
        PartialTransfer = 3,
        SlaveAddressNotAcknowledged = 4,
    }

    public struct I2cTransferResult
    {
        internal I2cTransferResult(I2cTransferStatus status, uint bytesTransferred)
        {
            Status = status;
            BytesTransferred = bytesTransferred;
        }

        public uint BytesTransferred { get; }

        public I2cTransferStatus Status { get; }
    }

    public sealed class I2cConnectionSettings
    {
        public I2cConnectionSettings(int busId, int deviceAddress)
        {
            BusId = busId;
            DeviceAddress = deviceAddress;
        }

        public int BusId { get; }

        public int DeviceAddress { get; }
    }

    public class I2cDevice : IDisposable
    {
        private readonly BoardRun _run;
        private bool _disposed;

        private I2cDevice(I2cConnectionSettings settings, BoardRun run)
        {
            ConnectionSettings = settings;
            _run = run;
        }

        public I2cConnectionSettings ConnectionSettings { get; }

        public static I2cDevice Create(I2cConnectionSettings settings)
        {
            if (settings.BusId != 1 && settings.BusId != 2)
            {
                throw new ArgumentException("the ESP32 has I2C buses 1 and 2");
            }

            return new I2cDevice(settings, BoardRun.Live);
        }

        public byte ReadByte()
        {
            byte[] one = new byte[1];
            if (Read(one).Status != I2cTransferStatus.FullTransfer)
            {
                throw new IOException();
            }

            return one[0];
        }

        public void WriteByte(byte value)
        {
            if (Write(new[] { value }).Status != I2cTransferStatus.FullTransfer)
            {
                throw new IOException();
            }
        }

        public I2cTransferResult Read(Span<byte> buffer)
        {
            I2cPart? part = Part();
            return part != null && part.TryRead(buffer)
                ? new I2cTransferResult(I2cTransferStatus.FullTransfer, (uint)buffer.Length)
                : new I2cTransferResult(I2cTransferStatus.SlaveAddressNotAcknowledged, 0);
        }

        public I2cTransferResult Write(ReadOnlySpan<byte> buffer)
        {
            I2cPart? part = Part();
            return part != null && part.TryWrite(buffer)
                ? new I2cTransferResult(I2cTransferStatus.FullTransfer, (uint)buffer.Length)
                : new I2cTransferResult(I2cTransferStatus.SlaveAddressNotAcknowledged, 0);
        }

        public I2cTransferResult WriteRead(ReadOnlySpan<byte> writeBuffer, Span<byte> readBuffer)
        {
            I2cTransferResult w = Write(writeBuffer);
            return w.Status != I2cTransferStatus.FullTransfer ? w : Read(readBuffer);
        }

        public void Dispose() => _disposed = true;

        private I2cPart? Part()
        {
            _run.Check();
            if (_disposed)
            {
                throw new ObjectDisposedException(nameof(I2cDevice));
            }

            if (ConnectionSettings.BusId != 1 || !_run.Board.I2c1Routed)
            {
                return null;
            }

            foreach (I2cPart part in _run.Board.I2cParts)
            {
                if (part.Address == ConnectionSettings.DeviceAddress)
                {
                    return part;
                }
            }

            return null;
        }
    }
}
