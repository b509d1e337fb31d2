// Executable nanoFramework.Hardware.Esp32.Rmt 2.0.35 on the simulated board. The settings keep the library's defaults
// (RmtChannelSettings: divider 80 = 1 µs per tick; TransmitChannelSettings: a 38 kHz carrier at 33 % duty ON;
// ReceiverChannelSettings: idle 12 ms, filter 100 ticks, timeout 1 s, demodulation ON at 38 kHz) and their range checks.
// What goes out on a pin is what the peripheral would put there: with the carrier on, a "high" is a burst of 8.7 µs
// pulses. The ranger part on GPIO 25/26 (SimulatedBoard.Ranger) answers; the receiver reports the pulse the RMT would
// have captured: nothing when it arrives after the timeout, when it is shorter than the filter, or when the channel
// demodulates a carrier the plain pulse does not have.
using System;
using EdgeSensors.Device.Simulator.Board;

namespace nanoFramework.Hardware.Esp32.Rmt
{
    public abstract class RmtChannelSettings
    {
        private int _channel;
        private int _pinNumber;
        private byte _clockDivider = 80;
        private byte _numberOfMemoryBlocks = 1;

        protected RmtChannelSettings(int pinNumber)
            : this(-1, pinNumber)
        {
        }

        protected RmtChannelSettings(int channel, int pinNumber)
        {
            _channel = channel <= 7 ? channel : throw new ArgumentOutOfRangeException(nameof(channel));
            _pinNumber = pinNumber;
        }

        public int Channel
        {
            get => _channel;
            set => _channel = value is < 0 or > 7 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public int PinNumber
        {
            get => _pinNumber;
            set => _pinNumber = value < 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public byte ClockDivider
        {
            get => _clockDivider;
            set => _clockDivider = value < 1 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public byte NumberOfMemoryBlocks
        {
            get => _numberOfMemoryBlocks;
            set => _numberOfMemoryBlocks = value is < 1 or > 8 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public int BufferSize { get; set; } = 100;

        public bool SignalInverterEnabled { get; set; }

        /// <summary>Microseconds per tick: the 80 MHz APB clock over the divider.</summary>
        internal double MicrosecondsPerTick => ClockDivider / 80.0;
    }

    public sealed class TransmitChannelSettings : RmtChannelSettings
    {
        public TransmitChannelSettings(int pinNumber)
            : base(pinNumber)
        {
        }

        public TransmitChannelSettings(int channel, int pinNumber)
            : base(channel, pinNumber)
        {
        }

        public bool EnableCarrierWave { get; set; } = true;

        public bool CarrierLevel { get; set; } = true;

        public bool EnableIdleLevelOutput { get; set; } = true;

        public bool IdleLevel { get; set; }
    }

    public sealed class ReceiverChannelSettings : RmtChannelSettings
    {
        private ushort _idleThreshold = 12_000;

        public ReceiverChannelSettings(int pinNumber)
            : base(pinNumber)
        {
        }

        public ReceiverChannelSettings(int channel, int pinNumber)
            : base(channel, pinNumber)
        {
        }

        public ushort IdleThreshold
        {
            get => _idleThreshold;
            set => _idleThreshold = value <= 0 ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public bool EnableFilter { get; set; } = true;

        public byte FilterThreshold { get; set; } = 100;

        public TimeSpan ReceiveTimeout { get; set; } = TimeSpan.FromSeconds(1);

        public bool EnableDemodulation { get; set; } = true;
    }

    public class RmtCommand
    {
        private const ushort MaxDuration = 32767;
        private ushort _duration0;
        private ushort _duration1;

        public RmtCommand(ushort duration1, bool level1, ushort duration2, bool level2)
        {
            Duration0 = duration1;
            Duration1 = duration2;
            Level0 = level1;
            Level1 = level2;
        }

        public ushort Duration0
        {
            get => _duration0;
            set => _duration0 = value > MaxDuration ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public ushort Duration1
        {
            get => _duration1;
            set => _duration1 = value > MaxDuration ? throw new ArgumentOutOfRangeException(nameof(value)) : value;
        }

        public bool Level0 { get; set; }

        public bool Level1 { get; set; }
    }

    public abstract class RmtChannel
    {
    }

    public class TransmitterChannel : RmtChannel, IDisposable
    {
        /// <summary>The carrier's period at its default 38 kHz, µs, and the high part of it at 33 % duty.</summary>
        private const double CarrierHighMicroseconds = 1e6 / 38_000 * 0.33;

        private readonly BoardRun _run;
        private readonly TransmitChannelSettings _settings;
        private readonly System.Collections.Generic.List<RmtCommand> _commands = [];

        public TransmitterChannel(TransmitChannelSettings settings)
        {
            _run = BoardRun.Live;
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _run.Check();
        }

        public void AddCommand(RmtCommand cmd) => _commands.Add(cmd ?? throw new ArgumentNullException(nameof(cmd)));

        public void ClearCommands() => _commands.Clear();

        public void Send(bool waitTxDone)
        {
            _ = waitTxDone;
            _run.Check();
            // The longest continuous high level the commands put on the pin (a duration of 0 ends the sequence).
            double longest = 0;
            double current = 0;
            foreach (RmtCommand c in _commands)
            {
                foreach ((ushort ticks, bool level) in new[] { (c.Duration0, c.Level0), (c.Duration1, c.Level1) })
                {
                    if (ticks == 0)
                    {
                        break;
                    }

                    current = level ? current + (ticks * _settings.MicrosecondsPerTick) : 0;
                    longest = Math.Max(longest, current);
                }
            }

            if (_settings.EnableCarrierWave && longest > 0)
            {
                longest = Math.Min(longest, CarrierHighMicroseconds);
            }

            _run.Board.TriggerRanger(_run, _settings.PinNumber, longest);
        }

        public void Dispose()
        {
        }
    }

    public class ReceiverChannel : RmtChannel, IDisposable
    {
        private readonly BoardRun _run;
        private readonly ReceiverChannelSettings _settings;
        private bool _receiving;

        public ReceiverChannel(ReceiverChannelSettings settings)
        {
            _run = BoardRun.Live;
            _settings = settings ?? throw new ArgumentNullException(nameof(settings));
            _run.Check();
        }

        public void Start(bool clearBuffer)
        {
            _run.Check();
            if (clearBuffer)
            {
                _run.Board.TakeRangerPulse(_settings.PinNumber);
            }

            _receiving = true;
        }

        public void Stop() => _receiving = false;

        public RmtCommand[] GetAllItems()
        {
            _run.Check();
            if (!_receiving)
            {
                return [];
            }

            (double DelayMs, double WidthMicroseconds)? pulse = _run.Board.TakeRangerPulse(_settings.PinNumber);
            double ticks = pulse is { } q ? q.WidthMicroseconds / _settings.MicrosecondsPerTick : 0;
            if (pulse is not { } p || p.DelayMs > _settings.ReceiveTimeout.TotalMilliseconds || _settings.EnableDemodulation
                || (_settings.EnableFilter && ticks < _settings.FilterThreshold))
            {
                // Nothing captured: the call returns when the receive timeout runs out.
                _run.Sleep((long)_settings.ReceiveTimeout.TotalMilliseconds);
                return [];
            }

            _run.Sleep((long)Math.Ceiling(p.DelayMs + (p.WidthMicroseconds / 1000) + (_settings.IdleThreshold * _settings.MicrosecondsPerTick / 1000)));
            return [new RmtCommand((ushort)Math.Min(32767, Math.Round(ticks)), true, 0, false)];
        }

        public void Dispose()
        {
        }
    }
}
