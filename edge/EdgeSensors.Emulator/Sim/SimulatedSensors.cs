using EdgeSensors.Device.Parts;
using EdgeSensors.Emulator.Site;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Device;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Samples;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// The sensors of one emulated node, simulated at the lowest honest level: ADS1115 counts (at the range the node's
/// auto-ranging would pick) for the conductivity board and the pressure transducer, values for the digital sensors.
/// The truth comes from the site model; the node logic does the forward conversion, so conductivity is derived back
/// from salinity here (PSS-78 inverse) and put at the probe of the same EC board model the simulated board uses
/// (<see cref="Dfr0300Board"/>: conductivity at the water's temperature, this board's own transfer, output clipped at
/// its supply) — never through the node's own α or calibration, which would hide a wrong one. Drift and noise on top.
/// </summary>
public sealed class SimulatedSensors : ISensorSampler
{
    /// <summary>Widest ADS1115 range the node uses (±4.096 V).</summary>
    private const int WidestRange = 1;
    private readonly FleetClock _clock;
    private readonly SiteModel _site;
    private readonly NodePlacement _placement;
    private readonly NodeConfig _config;
    private readonly Random _random;
    private readonly Dfr0300Board _ecBoard;
    private readonly double _driftPerDay;

    public SimulatedSensors(FleetClock clock, SiteModel site, NodePlacement placement, NodeConfig config, Random random)
    {
        _clock = clock;
        _site = site;
        _placement = placement;
        _config = config;
        _random = random;
        // This board's own transfer and offset: within ±1 % and ±2 mV of nominal, the residual a field calibration
        // leaves (the node's nominal 6.1 mS/cm per V is not corrected for them unless the node is calibrated).
        _ecBoard = new Dfr0300Board
        {
            TransferMsCmPerVolt = 6.1 * (1 + ((random.NextDouble() - 0.5) * 0.02)),
            OffsetVolts = (random.NextDouble() - 0.5) * 0.004,
        };
        _driftPerDay = (random.NextDouble() - 0.5) * 0.002; // probe fouling: ±0.1 %/day
    }

    /// <summary>Probe out of the water or unplugged (fault).</summary>
    public bool OpenProbe { get; set; }

    /// <summary>Pressure transducer input stuck at the ADC rail (fault).</summary>
    public bool StuckAdc { get; set; }

    /// <summary>When set, the probe sits in a calibration standard of this EC25 (mS/cm) at <see cref="SolutionTempC"/> instead of the canal.</summary>
    public double? SolutionEc25 { get; set; }

    /// <summary>Temperature of the calibration standard, °C.</summary>
    public double SolutionTempC { get; set; } = 27.0;

    /// <summary>The truth at the last read, for reports and tests.</summary>
    public (double Salinity, double Level, double WaterTemp) LastTruth { get; private set; }

    public RawFrame Read(int burstSize)
    {
        DateTime t = _clock.NowUtc;
        double salinity = _site.Salinity(t, _placement);
        double level = _site.Level(t);
        double waterT = _site.WaterTemp(t);
        LastTruth = (salinity, level, waterT);

        double depth = Math.Max(0, level - _placement.SensorElevationM);
        double gaugeHpa = SeawaterDensity.AtSurface(salinity, waterT) * Gravity.AtLatitude(_placement.Lat) * depth / 100.0;
        double ecInSitu = PracticalSalinity.ToConductivity(salinity, waterT, gaugeHpa / 100.0);
        if (SolutionEc25 is double standard)
        {
            // KCl standards are labelled at 25 °C; at the solution's temperature they conduct what their tables say.
            waterT = SolutionTempC;
            ecInSitu = KclStandard.AtTemperature(standard, waterT);
        }

        double days = _clock.NowMs / 86_400_000.0;
        _ecBoard.ConductivityMsCm = ecInSitu * (1 + (_driftPerDay * days));
        double ecVolts = _ecBoard.OutputVolts();
        double pVolts = _config.PressureZeroVolts + (gaugeHpa / _config.PressureHpaPerVolt);

        var ec = new int[burstSize];
        var p = new int[burstSize];
        int ecRange = Ads1115Range.Fit(OpenProbe ? 0 : ecVolts, WidestRange);
        int pRange = Ads1115Range.Fit(StuckAdc ? 5 : pVolts, WidestRange);
        for (int i = 0; i < burstSize; i++)
        {
            // ~0.1 % noise on the EC board's output, 1.5 mV on the transducer's.
            ec[i] = OpenProbe ? _random.Next(0, 2) : Counts(ecVolts * (1 + Noise(0.001)), ecRange);
            p[i] = StuckAdc ? Ads1115Range.MaxCode : Counts(pVolts + Noise(0.0015), pRange);
        }

        return new RawFrame
        {
            EcCounts = ec,
            EcFullScale = Ads1115Range.MaxCode,
            EcFullScaleVolts = Ads1115Range.FullScaleVolts[ecRange],

            // As HardwareSampler reports it: the isolated ADS1115 codes nothing above its 3.3 V supply.
            EcHighestCode = Ads1115Range.HighestCode(ecRange, _ecBoard.SupplyVolts),
            PressureCounts = p,
            PressureFullScale = Ads1115Range.MaxCode,
            PressureFullScaleVolts = Ads1115Range.FullScaleVolts[pRange],
            WaterTempC = waterT + Noise(0.05),
            AirTempC = _site.AirTemp(t) + Noise(0.1),
            AirPressureHpa = SiteModel.AirPressure(t) + Noise(0.1),
            HumidityPct = Math.Clamp(SiteModel.Humidity(t) + Noise(1), 0, 100),
        };
    }

    private static int Counts(double volts, int range) => Math.Clamp((int)Math.Round(volts / Ads1115Range.LsbVolts(range)), 0, Ads1115Range.MaxCode);

    private double Noise(double sigma)
    {
        // Box–Muller: Gaussian noise from the node's own seeded generator.
        double u1 = 1.0 - _random.NextDouble();
        double u2 = _random.NextDouble();
        return sigma * Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
