using System.Device.Gpio;
using System.Threading;
using EdgeSensors.Node.Device;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>The P-MOSFET (AO3401) that powers the sensors: gate low = on. Waits for the EC board to settle.</summary>
    public sealed class GpioSensorPower : ISensorPower
    {
        private readonly GpioPin _gate;
        private readonly int _settleMs;

        public GpioSensorPower(GpioController gpio, int pin, int settleMs)
        {
            _gate = gpio.OpenPin(pin, PinMode.Output);
            _settleMs = settleMs;
            _gate.Write(PinValue.High);
        }

        public void PowerUp()
        {
            _gate.Write(PinValue.Low);
            Thread.Sleep(_settleMs);
        }

        public void PowerDown() => _gate.Write(PinValue.High);
    }
}
