namespace EdgeSensors.Device
{
    /// <summary>ESP32 pins of the node (hardware/node-esp32/README.md). Analog inputs on ADC1 only: ADC2 is unusable while Wi-Fi is on.</summary>
    public static class PinMap
    {
        public const int I2cData = 21;
        public const int I2cClock = 22;
        public const int SensorPower = 27;

        /// <summary>Ranger trigger: JSN-SR04T TRIG, or MaxSonar pin 4 (when the level comes from a ranger).</summary>
        public const int UltrasonicTrigger = 25;

        /// <summary>Ranger output: JSN-SR04T ECHO, or MaxSonar pin 2 (pulse width), through a 1k/2k divider (5 V → 3.3 V).</summary>
        public const int UltrasonicEcho = 26;

        /// <summary>ADS1115 on the isolated side (ADDR → VDD), behind the ISO1540 I2C isolator: the EC board.</summary>
        public const int IsolatedAdcAddress = 0x49;

        /// <summary>Isolated ADS1115 input AIN0: EC board output (0–3.4 V).</summary>
        public const int EcInput = 0;

        /// <summary>ADS1115 on the node side (ADDR → GND).</summary>
        public const int AdcAddress = 0x48;

        /// <summary>ADS1115 AIN0: pressure transducer through a 10k/10k divider (0.5–4.5 V → 0.25–2.25 V).</summary>
        public const int PressureInput = 0;

        /// <summary>ADS1115 AIN1: the transducer's 5 V boost rail through a 10k/10k divider (ratiometric correction).</summary>
        public const int SupplyInput = 1;

        /// <summary>ADS1115 AIN2: water-temperature NTC divider (10 kΩ fixed to the 3.3 V rail).</summary>
        public const int NtcInput = 2;

        /// <summary>Supply of both ADS1115 (3V3 switched, 3V3_ISO): no input is coded above it.</summary>
        public const double AdcSupplyVolts = 3.3;

        /// <summary>ADS1115 AIN3: the switched 3.3 V rail that feeds the NTC divider, through a 10 kΩ / 10 kΩ divider.</summary>
        public const int NtcRailInput = 3;

        /// <summary>Widest ADS1115 range used: ±4.096 V (inputs stay below VDD + 0.3 V).</summary>
        public const int WidestRange = 1;

        /// <summary>ADC1 channel 6 = GPIO 34: battery divider (1 MΩ / 1 MΩ, 100 nF), the one ESP32 ADC input left.</summary>
        public const int BatteryChannel = 6;
    }
}
