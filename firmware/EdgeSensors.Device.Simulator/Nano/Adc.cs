// Executable nanoFramework.System.Device.Adc 1.1.24 on the simulated board: the ESP32's ADC1 (12-bit, MaxValue 4095).
// Channel 6 (GPIO 34) is wired to the battery divider; the other channels read an unconnected pin (0).
using System;
using EdgeSensors.Device.Simulator.Board;

namespace System.Device.Adc
{
    public abstract class AdcControllerBase
    {
        public abstract int MaxValue { get; }

        public abstract AdcChannel OpenChannel(int channelNumber);
    }

    public class AdcController : AdcControllerBase
    {
        private readonly BoardRun _run;

        public AdcController()
        {
            _run = BoardRun.Live;
        }

        public override int MaxValue => 4095;

        public override AdcChannel OpenChannel(int channelNumber)
        {
            _run.Check();
            if (channelNumber < 0 || channelNumber > 9)
            {
                throw new ArgumentException("ADC1 has channels 0–7 (and the internal 8, 9)");
            }

            return new AdcChannel(_run, channelNumber);
        }
    }

    public abstract class AdcChannelBase
    {
        public abstract int ReadValue();
    }

    public class AdcChannel : AdcChannelBase, IDisposable
    {
        private readonly BoardRun _run;
        private readonly int _channel;

        internal AdcChannel(BoardRun run, int channel)
        {
            _run = run;
            _channel = channel;
        }

        public override int ReadValue()
        {
            _run.Check();
            return _channel == 6 ? _run.Board.Battery.AdcCode() : 0;
        }

        public void Dispose()
        {
        }
    }
}
