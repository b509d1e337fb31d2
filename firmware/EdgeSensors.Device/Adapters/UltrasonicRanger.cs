using Iot.Device.Hcsr04;
using EdgeSensors.Node.Device;

namespace EdgeSensors.Device.Adapters
{
    /// <summary>
    /// The JSN-SR04T ultrasonic ranger through nanoFramework.Iot.Device.Hcsr04. The binding turns the echo into a
    /// distance with a fixed speed of sound; it is turned back into the echo time here so that the node logic applies
    /// the speed of sound at the BME280's measured air temperature (≈1.8 % per 10 °C).
    /// </summary>
    public sealed class UltrasonicRanger : IRangeSensor
    {
        /// <summary>Speed of sound the binding assumes, m/s (dry air at about 20 °C).</summary>
        private const double BindingSpeedOfSound = 343.0;

        private readonly int _triggerPin;
        private readonly int _echoPin;
        private Hcsr04? _sensor;

        public UltrasonicRanger(int triggerPin, int echoPin)
        {
            // Opened at the first read, when the sampler has powered the 5 V rail: nothing is touched at boot.
            _triggerPin = triggerPin;
            _echoPin = echoPin;
        }

        public bool TryReadPulse(out double echoSeconds)
        {
            echoSeconds = double.NaN;
            if (_sensor == null)
            {
                _sensor = new Hcsr04(_triggerPin, _echoPin);
            }

            if (!_sensor.TryGetDistance(out UnitsNet.Length distance) || distance.Meters <= 0)
            {
                return false;
            }

            echoSeconds = 2 * distance.Meters / BindingSpeedOfSound;
            return true;
        }
    }
}
