using System.ComponentModel.DataAnnotations;

namespace EdgeSensors.Gateway.Gpio;

/// <summary>Pins and behaviour of the commune office's signals (BCM numbering). Section "Gpio". See hardware/gateway-pi/.</summary>
public sealed class GpioOptions
{
    public const string Section = "Gpio";

    /// <summary>auto (real GPIO on a Raspberry Pi, simulated elsewhere), simulated, or hardware.</summary>
    [RegularExpression("^(auto|simulated|hardware)$")]
    public string Driver { get; set; } = "auto";

    [Range(0, 27)]
    public int GreenPin { get; set; } = 17;

    [Range(0, 27)]
    public int AmberPin { get; set; } = 27;

    [Range(0, 27)]
    public int RedPin { get; set; } = 22;

    [Range(0, 27)]
    public int BuzzerPin { get; set; } = 23;

    [Range(0, 27)]
    public int RelayPin { get; set; } = 24;

    /// <summary>Silence button to ground, with the internal pull-up.</summary>
    [Range(0, 27)]
    public int SilenceButtonPin { get; set; } = 25;

    /// <summary>The buzzer sounds from this level up: watch, warning or danger.</summary>
    [RegularExpression("^(watch|warning|danger)$")]
    public string BuzzerLevel { get; set; } = "warning";

    /// <summary>The relay is driven only when a technician has wired it and enabled it here.</summary>
    public bool RelayEnabled { get; set; }

    /// <summary>
    /// From this crop-profile level the relay is de-energised (pump stopped, sluice held shut); below it, energised to
    /// permit water. Warning by default: the crop profiles say no water may be taken from warning.
    /// </summary>
    [RegularExpression("^(watch|warning|danger)$")]
    public string RelayLevel { get; set; } = "warning";

    /// <summary>A salinity change moves the relay only after holding this long on the gateway's clock, s.</summary>
    [Range(1, 86400)]
    public int RelayConfirmSeconds { get; set; } = 600;

    /// <summary>…and arriving in at least this many separate messages (a burst of back-dated samples is one).</summary>
    [Range(2, 100)]
    public int RelayMinPublishes { get; set; } = 2;

    /// <summary>
    /// Nodes that must confirm fresh water before the relay permits it: two by default, so one stolen or faulty node
    /// cannot open the intake; where fewer nodes govern the relay, all of them (and the status says it rests on one).
    /// </summary>
    [Range(1, 100)]
    public int RelayMinAgreeingNodes { get; set; } = 2;

    /// <summary>Without a confirming reading for this long, the relay forbids water again, minutes.</summary>
    [Range(5, 1440)]
    public int RelayMaxAgeMinutes { get; set; } = 60;

    /// <summary>Salinity must fall this far below the relay level before "fresh" counts, ‰.</summary>
    [Range(0.0, 5.0)]
    public double RelayHysteresisPpt { get; set; } = 0.2;

    /// <summary>Nodes that govern the relay (the ones at its intake); empty: every node.</summary>
    public List<string> RelayNodes { get; set; } = [];

    [Range(1, 1440)]
    public int SilenceMinutes { get; set; } = 30;

    /// <summary>
    /// The UPS's AC-fail contact (hardware/gateway-pi: GPIO 5 to ground, internal pull-up; closed = mains lost). Unwired,
    /// the pull-up reads "mains present", so it is read by default.
    /// </summary>
    [Range(0, 27)]
    public int AcFailPin { get; set; } = 5;

    /// <summary>Whether the AC-fail contact is read (a power-cut alert when it closes).</summary>
    public bool AcFailMonitor { get; set; } = true;

    [Range(5, 2000)]
    public int DebounceMs { get; set; } = 50;

    /// <summary>Each light's on-time in the start-up test pattern, ms (0: no test pattern).</summary>
    [Range(0, 5000)]
    public int TestPatternMs { get; set; } = 300;

    /// <summary>BME280 in the enclosure on the Pi's I2C bus 1 (address 0x76 or 0x77); off the Pi it is not present.</summary>
    public bool EnclosureSensor { get; set; } = true;

    [Range(0x76, 0x77)]
    public int EnclosureSensorAddress { get; set; } = 0x76;
}
