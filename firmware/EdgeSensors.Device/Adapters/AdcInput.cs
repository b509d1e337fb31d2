using System.Device.Adc;
using EdgeSensors.Node.Device;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>One ADC1 channel through nanoFramework's System.Device.Adc.</summary>
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

        public double FullScaleVolts => 3.3;

        public int Read() => _channel.ReadValue();
    }
}
