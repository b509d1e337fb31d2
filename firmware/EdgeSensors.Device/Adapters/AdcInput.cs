using System.Device.Adc;
using EdgeSensors.Node.Device;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// One ADC1 channel through nanoFramework's System.Device.Adc — now only the battery divider (1.5–2.1 V at the pin,
    /// inside the ESP32 ADC's linear 150–2450 mV at 11 dB). The chip's reference varies by about ±6 %, so the battery
    /// reading is scaled by the node's per-chip factor (battery_gain, set at commissioning against a multimeter).
    /// </summary>
    public sealed class AdcInput : IAnalogInput
    {
        private readonly AdcChannel _channel;
        private readonly int _fullScale;

        public AdcInput(AdcController controller, int channel)
        {
            _channel = controller.OpenChannel(channel);
            _fullScale = controller.MaxValue;
        }

        public int FullScale => _fullScale;

        public int HighestCode => _fullScale;

        public double FullScaleVolts => 3.3;

        public void SelectRange()
        {
        }

        public int Read() => _channel.ReadValue();
    }
}
