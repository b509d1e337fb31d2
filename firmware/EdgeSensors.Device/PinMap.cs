namespace EdgeSensors.Device
{
    /// <summary>ESP32 pins of the node (hardware/node-esp32/README.md). Analog inputs on ADC1 only: ADC2 is unusable while Wi-Fi is on.</summary>
    public static class PinMap
    {
        public const int I2cData = 21;
        public const int I2cClock = 22;
        public const int SensorPower = 27;

        /// <summary>JSN-SR04T trigger (when the level comes from the ultrasonic ranger).</summary>
        public const int UltrasonicTrigger = 25;

        /// <summary>JSN-SR04T echo, through a 1k/2k divider (5 V → 3.3 V).</summary>
        public const int UltrasonicEcho = 26;

        /// <summary>ADC1 channel 0 = GPIO 36: EC board output.</summary>
        public const int EcChannel = 0;

        /// <summary>ADC1 channel 3 = GPIO 39: pressure transducer (through a 10k/10k divider: 0.5–4.5 V → 0.25–2.25 V).</summary>
        public const int PressureChannel = 3;

        /// <summary>ADC1 channel 6 = GPIO 34: battery divider (1 MΩ / 1 MΩ).</summary>
        public const int BatteryChannel = 6;

        /// <summary>ADC1 channel 7 = GPIO 35: water-temperature NTC divider.</summary>
        public const int NtcChannel = 7;
    }
}
