// Compile-only shim of nanoFramework.Hardware.Esp32.Rmt 2.0.35 (package nanoFramework.Hardware.Esp32.Rmt, built against
// nanoFramework.CoreLibrary 1.17.11 and Runtime.Events 1.11.32; native assembly 100.0.5.1, which firmware 1.12.4.41
// carries for ESP32). Signatures as in the library's RmtChannelSettings.cs, TransmitChannelSettings.cs,
// ReceiverChannelSettings.cs, TransmitterChannel.cs, ReceiverChannel.cs and RmtCommand.cs (commit 7d065f1).
// No behaviour; never deployed.
// Transcribes: nanoFramework.Hardware.Esp32.Rmt 2.0.35
using System;

namespace nanoFramework.Hardware.Esp32.Rmt
{
    public abstract class RmtChannelSettings
    {
        protected RmtChannelSettings(int pinNumber) => throw new NotSupportedException();

        protected RmtChannelSettings(int channel, int pinNumber) => throw new NotSupportedException();

        public int Channel { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public int PinNumber { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte ClockDivider { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte NumberOfMemoryBlocks { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public int BufferSize { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool SignalInverterEnabled { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }

    public sealed class TransmitChannelSettings : RmtChannelSettings
    {
        public TransmitChannelSettings(int pinNumber) : base(pinNumber) => throw new NotSupportedException();

        public TransmitChannelSettings(int channel, int pinNumber) : base(channel, pinNumber) => throw new NotSupportedException();

        public bool EnableCarrierWave { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool CarrierLevel { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool EnableIdleLevelOutput { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool IdleLevel { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }

    public sealed class ReceiverChannelSettings : RmtChannelSettings
    {
        public ReceiverChannelSettings(int pinNumber) : base(pinNumber) => throw new NotSupportedException();

        public ReceiverChannelSettings(int channel, int pinNumber) : base(channel, pinNumber) => throw new NotSupportedException();

        public ushort IdleThreshold { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool EnableFilter { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public byte FilterThreshold { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public TimeSpan ReceiveTimeout { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool EnableDemodulation { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }

    public class RmtCommand
    {
        public RmtCommand(ushort duration1, bool level1, ushort duration2, bool level2) => throw new NotSupportedException();

        public ushort Duration0 { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public ushort Duration1 { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool Level0 { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public bool Level1 { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    }

    public abstract class RmtChannel
    {
    }

    public class TransmitterChannel : RmtChannel, IDisposable
    {
        public TransmitterChannel(TransmitChannelSettings settings) => throw new NotSupportedException();

        public void AddCommand(RmtCommand cmd) => throw new NotSupportedException();

        public void ClearCommands() => throw new NotSupportedException();

        public void Send(bool waitTxDone) => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }

    public class ReceiverChannel : RmtChannel, IDisposable
    {
        public ReceiverChannel(ReceiverChannelSettings settings) => throw new NotSupportedException();

        public void Start(bool clearBuffer) => throw new NotSupportedException();

        public void Stop() => throw new NotSupportedException();

        public RmtCommand[] GetAllItems() => throw new NotSupportedException();

        public void Dispose() => throw new NotSupportedException();
    }
}
