using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Config;

/// <summary>
/// Everything a node is told: identity and connection (from node.json, written at provisioning) and the
/// settings the gateway may change over the retained config topic (interval, mode, calibration).
/// Defaults are those of an uncalibrated node; <see cref="ConfigRules"/> holds the limits.
/// </summary>
public sealed class NodeConfig
{
    /// <summary>Revision of the settings ("rev"); the gateway increases it on every change.</summary>
    public long Revision { get; set; }

    /// <summary>Node id (MQTT client id and username).</summary>
    public string NodeId { get; set; } = string.Empty;

    /// <summary>Wi-Fi network name.</summary>
    public string WifiSsid { get; set; } = string.Empty;

    /// <summary>Wi-Fi password (WPA2-PSK, 8–63 characters, or empty for an open network).</summary>
    public string WifiPassword { get; set; } = string.Empty;

    /// <summary>Gateway host name or address.</summary>
    public string GatewayHost { get; set; } = string.Empty;

    /// <summary>Gateway MQTT port (default: MQTT over TLS, <see cref="Protocol.MqttPorts.Tls"/>: what the gateway opens and the CLI writes).</summary>
    public int GatewayPort { get; set; } = Protocol.MqttPorts.Tls;

    /// <summary>Use TLS to the gateway (default on: the node's password crosses the commune's Wi-Fi; plain MQTT is for lab gateways only).</summary>
    public bool GatewayTls { get; set; } = true;

    /// <summary>The gateway's CA certificate (PEM, from its data/tls/ca.crt), which the node trusts for TLS; null: none.</summary>
    public string? GatewayCaPem { get; set; }

    /// <summary>The node's MQTT password (its username is the node id).</summary>
    public string Password { get; set; } = string.Empty;

    /// <summary>
    /// Seconds between samples. Default 900: a battery node in deep sleep lasts about 130 days on one 3,400 mAh cell
    /// without sun at 15 minutes, 44 days at 5 (hardware/node-esp32, power budget) — the 60-day target needs ≥ 10 minutes.
    /// Mains nodes may be set shorter.
    /// </summary>
    public int IntervalSeconds { get; set; } = 900;

    /// <summary>Power mode.</summary>
    public PowerMode Mode { get; set; } = PowerMode.DeepSleep;

    /// <summary>Outbox capacity, samples.</summary>
    public int OutboxCapacity { get; set; } = 2880;

    /// <summary>ADC samples per measurement burst (median and outlier rejection run over them).</summary>
    public int BurstSize { get; set; } = 9;

    /// <summary>Smoothing factor of the moving average on salinity and level (1 = off).</summary>
    public double EmaAlpha { get; set; } = 1.0;

    /// <summary>
    /// The EC board's conductivity per volt at its output, mS/cm per V, before calibration. Default: the documented
    /// DFRobot Gravity EC (DFR0300) class, whose vendor library computes EC = 1000·V(mV)/820/200 mS/cm, i.e. 6.1 per V.
    /// </summary>
    public double EcMsCmPerVolt { get; set; } = 6.1;

    /// <summary>Two-point calibration gain.</summary>
    public double EcGain { get; set; } = 1.0;

    /// <summary>Two-point calibration offset, mS/cm.</summary>
    public double EcOffset { get; set; }

    /// <summary>
    /// Temperature coefficient of the board's own compensation to 25 °C, 1/°C; 0 for a board that outputs conductivity
    /// at the water's temperature. The DFR0300 class does (its vendor library divides by 1 + 0.0185·(T − 25) in
    /// software, after the ADC), so the default is 0: PSS-78 takes in-situ conductivity directly, and correcting again
    /// would read about +9 % when measuring 5 °C warmer than at calibration. Set α only for boards that compensate in
    /// hardware (their datasheet says "EC25 output").
    /// </summary>
    public double EcAlpha { get; set; }

    /// <summary>
    /// Per-chip correction of the battery reading (the ESP32 ADC's reference varies by about ±6 % between chips):
    /// multimeter volts ÷ reported volts, measured at commissioning. 0.8–1.2.
    /// </summary>
    public double BatteryGain { get; set; } = 1.0;

    /// <summary>Level sensor in use.</summary>
    public LevelSource LevelSource { get; set; } = LevelSource.Pressure;

    /// <summary>Pressure transducer reference.</summary>
    public PressureReference PressureReference { get; set; } = PressureReference.Gauge;

    /// <summary>
    /// Voltage at the ADC pin at zero pressure, V. Default: the documented transducer (0–1 bar, 0.5–4.5 V) through
    /// its 10 kΩ / 10 kΩ divider, so 0.25–2.25 V at the pin — inside the range where the ESP32's ADC is linear at the
    /// 11 dB attenuation nanoFramework sets (about 0.15–2.45 V, Espressif's ADC characteristics).
    /// </summary>
    public double PressureZeroVolts { get; set; } = 0.25;

    /// <summary>
    /// Transducer gain at the ADC pin, hPa per V. Default: 1,000 hPa (0–1 bar, 10.2 m of water: the primary canals'
    /// depth plus the highest tide, hardware/node-esp32) over 2.0 V (see <see cref="PressureZeroVolts"/>).
    /// </summary>
    public double PressureHpaPerVolt { get; set; } = 500.0;

    /// <summary>Elevation of the pressure sensor above the datum, m (negative below).</summary>
    public double SensorElevationM { get; set; }

    /// <summary>Elevation of the ultrasonic sensor's face above the datum, m.</summary>
    public double MountElevationM { get; set; } = 3.0;

    /// <summary>Latitude of the site, degrees north (gravity for the level).</summary>
    public double Latitude { get; set; } = Gravity.HauGiangLatitude;

    /// <summary>When the probe was calibrated (ISO 8601 text, informational).</summary>
    public string CalibratedAt { get; set; } = string.Empty;

    /// <summary>Who calibrated it.</summary>
    public string Technician { get; set; } = string.Empty;

    /// <summary>A copy, so a candidate config can be checked without touching the one in force.</summary>
    public NodeConfig Clone() => (NodeConfig)MemberwiseClone();
}
