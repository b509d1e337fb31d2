using System.Collections;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Filters;
using EdgeSensors.Node.Numerics;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Samples;

/// <summary>
/// Turns a <see cref="RawFrame"/> into a <see cref="Reading"/>: robust averaging of ADC bursts, fault detection,
/// calibration, undoing the probe's EC25 compensation, PSS-78 salinity, hydrostatic or ultrasonic level, and an
/// optional moving average. A field whose sensor is faulty is dropped and the fault reported, never invented.
/// </summary>
public sealed class SampleProcessor
{
    /// <summary>Raw EC25 below which the probe is taken as out of the water or disconnected, mS/cm (distilled water is ~0.001, canal water ≥ 0.05).</summary>
    public const double OpenProbeMsCm = 0.01;

    /// <summary>Supply the pressure transducer's transfer (config) is stated at, V.</summary>
    public const double PressureSupplyNominalVolts = 5.0;

    /// <summary>ADC counts from a rail within which a sample counts as "at the rail".</summary>
    public const int RailMargin = 2;

    // Physics limits for the jump check (per second, plus a noise allowance): a flood tide raises salinity by a few
    // ‰ per hour and level by under 1 m per hour; a reading that moves much faster is a sensor fault.
    private const double MaxSalinityRatePerS = 0.01;
    private const double SalinityJumpAllowance = 1.5;
    private const double MaxLevelRatePerS = 0.005;

    /// <summary>A burst whose median is within this share of the supply's code is taken as saturated, %.</summary>
    private const int SaturationMarginPercent = 3;

    /// <summary>Water temperature assumed for the density when the NTC has failed: the delta's dry-season mean (±5 °C is ±0.15 % of density).</summary>
    private const double AssumedWaterTempC = 28.0;
    private const double LevelJumpAllowance = 0.3;

    private readonly NodeConfig _config;
    private readonly TwoPointCalibration _calibration;
    private readonly double _gravity;
    private readonly ExponentialMovingAverage _salinityEma;
    private readonly ExponentialMovingAverage _levelEma;
    private readonly JumpGate _salinityGate = new JumpGate(MaxSalinityRatePerS, SalinityJumpAllowance);
    private readonly JumpGate _levelGate = new JumpGate(MaxLevelRatePerS, LevelJumpAllowance);

    /// <summary>Creates a processor for a config (make a new one when the config changes).</summary>
    public SampleProcessor(NodeConfig config)
    {
        _config = config;
        _calibration = new TwoPointCalibration(config.EcGain, config.EcOffset);
        _gravity = Gravity.AtLatitude(config.Latitude);
        _salinityEma = new ExponentialMovingAverage(config.EmaAlpha);
        _levelEma = new ExponentialMovingAverage(config.EmaAlpha);
    }

    /// <summary>Uncalibrated EC25 (mS/cm) the probe reports for a burst of counts, or NaN (the calibration wizard shows it).</summary>
    public double RawEc25(RawFrame frame) => AdcVolts(frame.EcCounts, frame.EcFullScale, frame.EcFullScaleVolts) * _config.EcMsCmPerVolt;

    /// <summary>Processes one frame taken at <paramref name="monotonicSeconds"/>.</summary>
    public ProcessedSample Process(RawFrame frame, double monotonicSeconds)
    {
        var reading = new Reading();
        var faults = new ArrayList();

        reading.AirTempC = Checked(frame.AirTempC, -20, 70, "air_temp_c", faults);
        reading.AirPressureHpa = Checked(frame.AirPressureHpa, 800, 1100, "air_pressure_hpa", faults);
        reading.HumidityPct = Checked(frame.HumidityPct, 0, 100, "humidity_pct", faults);
        reading.WaterTempC = Checked(frame.WaterTempC, -2, 45, "water_temp_c", faults);

        // Conductivity and salinity.
        SensorFault ecFault = SensorFaultDetector.ClassifyAdcBurst(frame.EcCounts, frame.EcFullScale, RailMargin);
        if (ecFault == SensorFault.None && frame.EcHighestCode > 0 && frame.EcHighestCode < frame.EcFullScale)
        {
            // The EC board and the converter share the isolated 3.3 V rail: the board's output saturates at or a little
            // below the supply and the converter codes nothing above it, so a burst near the supply's code is a clipped
            // reading (salty, warm water beyond the K = 1 probe's range at this supply), not a value.
            double[] counts = new double[frame.EcCounts.Length];
            for (int i = 0; i < counts.Length; i++)
            {
                counts[i] = frame.EcCounts[i];
            }

            if (MedianFilter.Median(counts) >= frame.EcHighestCode - (frame.EcHighestCode * SaturationMarginPercent / 100))
            {
                ecFault = SensorFault.AdcRailHigh;
            }
        }
        if (ecFault == SensorFault.AdcRailLow)
        {
            // EC boards output ~0 V with the probe in air or unplugged. The burst is taken at the narrowest range that
            // holds the signal (±0.256 V, 7.8 µV a step, for anything below 0.23 V), where even 0.1 ‰ water reads
            // thousands of counts: only a dry or unplugged probe sits at the low rail.
            ecFault = SensorFault.OpenProbe;
        }

        double rawEc25 = double.NaN;
        if (ecFault == SensorFault.None)
        {
            rawEc25 = RawEc25(frame);
            if (double.IsNaN(rawEc25))
            {
                ecFault = SensorFault.Noisy;
            }
            else if (rawEc25 < OpenProbeMsCm)
            {
                ecFault = SensorFault.OpenProbe;
            }
        }

        double overPressureHpa = double.NaN;
        if (ecFault == SensorFault.None && double.IsNaN(reading.WaterTempC))
        {
            ecFault = SensorFault.MissingInput;
        }

        if (ecFault != SensorFault.None)
        {
            AddFault(faults, "ec_ms_cm", ecFault);
            _salinityEma.Reset();
        }
        else
        {
            double ec25 = _calibration.Apply(rawEc25);
            double ecInSitu = ConductivityProbe.InSituFromEc25(ec25, reading.WaterTempC, _config.EcAlpha);
            reading.EcMsCm = ecInSitu;
        }

        // Level (and the sensor's pressure, which PSS-78 also takes).
        if (_config.LevelSource == LevelSource.Pressure)
        {
            SensorFault pFault = SensorFaultDetector.ClassifyAdcBurst(frame.PressureCounts, frame.PressureFullScale, RailMargin);
            if (pFault == SensorFault.None)
            {
                double volts = AdcVolts(frame.PressureCounts, frame.PressureFullScale, frame.PressureFullScaleVolts);

                // The transducer is ratiometric: its 0.5–4.5 V output is a fraction of its 5 V supply, so the reading
                // is scaled to the nominal supply (a 2 % low boost rail would otherwise read ~10 cm low).
                if (FloatMath.IsFinite(frame.PressureSupplyVolts) && frame.PressureSupplyVolts > 4.0 && frame.PressureSupplyVolts < 6.0)
                {
                    volts *= PressureSupplyNominalVolts / frame.PressureSupplyVolts;
                }

                double sensorHpa = (volts - _config.PressureZeroVolts) * _config.PressureHpaPerVolt;
                overPressureHpa = _config.PressureReference == PressureReference.Absolute ? sensorHpa - reading.AirPressureHpa : sensorHpa;
                if (double.IsNaN(volts))
                {
                    pFault = SensorFault.Noisy;
                }
                else if (double.IsNaN(overPressureHpa))
                {
                    pFault = SensorFault.MissingInput;
                }
            }

            if (pFault != SensorFault.None)
            {
                AddFault(faults, "level_m", pFault);
                overPressureHpa = double.NaN;
            }
        }

        double seaPressureDbar = FloatMath.IsFinite(overPressureHpa) && overPressureHpa > 0 ? overPressureHpa / 100.0 : 0.0;
        if (reading.Has(1))
        {
            double sp = PracticalSalinity.FromConductivity(reading.EcMsCm, reading.WaterTempC, seaPressureDbar);
            if (double.IsNaN(sp))
            {
                AddFault(faults, "salinity_ppt", SensorFault.OutOfRange);
            }
            else if (!_salinityGate.Accept(sp, monotonicSeconds))
            {
                AddFault(faults, "salinity_ppt", SensorFault.ImplausibleJump);
                reading.EcMsCm = double.NaN;
            }
            else
            {
                reading.SalinityPpt = _salinityEma.Update(sp);
            }
        }

        double level = double.NaN;
        if (_config.LevelSource == LevelSource.Pressure && !double.IsNaN(overPressureHpa))
        {
            // Density needs salinity and temperature. Without the salinity (the EC probe open or faulty) the level is
            // still what a farmer needs in a flood: it is computed with fresh water's density (S = 0, under 1 % from any
            // salinity up to 12 ‰) and flagged, rather than dropped with the salinity probe.
            double salinity = reading.SalinityPpt;
            double waterTemp = FloatMath.IsFinite(reading.WaterTempC) ? reading.WaterTempC : AssumedWaterTempC;
            bool assumed = !FloatMath.IsFinite(salinity) || !FloatMath.IsFinite(reading.WaterTempC);
            level = WaterLevel.Hydrostatic(overPressureHpa, PressureReference.Gauge, 0, assumed && !FloatMath.IsFinite(salinity) ? 0.0 : salinity, waterTemp, _gravity, _config.SensorElevationM);
            if (double.IsNaN(level))
            {
                AddFault(faults, "level_m", SensorFault.MissingInput);
            }
            else if (assumed)
            {
                AddFault(faults, "level_m", SensorFault.AssumedFreshWater);
            }
        }
        else if (_config.LevelSource == LevelSource.Ultrasonic)
        {
            level = WaterLevel.Ultrasonic(frame.RangePulseSeconds, reading.AirTempC, _config.MountElevationM);
            if (double.IsNaN(level))
            {
                AddFault(faults, "level_m", double.IsNaN(frame.RangePulseSeconds) ? SensorFault.NoResponse : SensorFault.MissingInput);
            }
        }
        else if (_config.LevelSource == LevelSource.MaxSonar)
        {
            // The sensor's own rule (1 µs per mm, compensated inside): no air temperature needed. Its range limits
            // are reported as values, so they are told apart here: the longest pulse means no target, the shortest
            // means water at or inside the minimum range — both flagged, never published as a level.
            double pulse = frame.RangePulseSeconds;
            if (double.IsNaN(pulse) || pulse >= WaterLevel.MaxSonarNoTargetSeconds)
            {
                AddFault(faults, "level_m", SensorFault.NoResponse);
            }
            else if (pulse <= WaterLevel.MaxSonarMinimumSeconds)
            {
                AddFault(faults, "level_m", SensorFault.OutOfRange);
            }
            else
            {
                level = WaterLevel.MaxSonar(pulse, _config.MountElevationM);
            }
        }

        if (!double.IsNaN(level))
        {
            if (!_levelGate.Accept(level, monotonicSeconds))
            {
                AddFault(faults, "level_m", SensorFault.ImplausibleJump);
            }
            else
            {
                reading.LevelM = _levelEma.Update(level);
            }
        }
        else
        {
            _levelEma.Reset();
        }

        string[] list = new string[faults.Count];
        for (int i = 0; i < list.Length; i++)
        {
            list[i] = (string)faults[i]!;
        }

        return new ProcessedSample(reading, list);
    }

    /// <summary>Wire name of a fault.</summary>
    public static string FaultName(SensorFault fault) => fault switch
    {
        SensorFault.OpenProbe => "open_probe",
        SensorFault.AdcRailLow => "adc_rail_low",
        SensorFault.AdcRailHigh => "adc_rail_high",
        SensorFault.ImplausibleJump => "implausible_jump",
        SensorFault.NoResponse => "no_response",
        SensorFault.OutOfRange => "out_of_range",
        SensorFault.Noisy => "noisy",
        SensorFault.MissingInput => "missing_input",
        SensorFault.AssumedFreshWater => "fresh_water_assumed",
        _ => "none",
    };

    private static double AdcVolts(int[] counts, int fullScale, double fullScaleVolts)
    {
        if (counts.Length == 0 || fullScale <= 0)
        {
            return double.NaN;
        }

        double[] volts = new double[counts.Length];
        for (int i = 0; i < counts.Length; i++)
        {
            volts[i] = counts[i] * fullScaleVolts / fullScale;
        }

        // Spread floor of 2 LSB so that a quiet burst is not rejected for last-bit noise.
        double lsb = fullScaleVolts / fullScale;
        return OutlierRejector.RobustMean(volts, 3.5, 2 * lsb, out _);
    }

    private static double Checked(double value, double min, double max, string field, ArrayList faults)
    {
        if (double.IsNaN(value))
        {
            AddFault(faults, field, SensorFault.NoResponse);
            return double.NaN;
        }

        if (!FloatMath.IsFinite(value) || value < min || value > max)
        {
            AddFault(faults, field, SensorFault.OutOfRange);
            return double.NaN;
        }

        return value;
    }

    private static void AddFault(ArrayList faults, string field, SensorFault fault) => faults.Add(field + ":" + FaultName(fault));

    /// <summary>
    /// Rejects a value that jumps further than physics allows from the last accepted one. A new level that is
    /// confirmed by the next reading is accepted (the probe was moved, or the first reading was the bad one), so
    /// the gate never locks a sensor out for good.
    /// </summary>
    private sealed class JumpGate
    {
        private readonly double _maxRate;
        private readonly double _allowance;
        private double _last = double.NaN;
        private double _lastAt;
        private double _pending = double.NaN;

        public JumpGate(double maxRate, double allowance)
        {
            _maxRate = maxRate;
            _allowance = allowance;
        }

        public bool Accept(double value, double at)
        {
            if (!SensorFaultDetector.IsImplausibleJump(_last, value, at - _lastAt, _maxRate, _allowance))
            {
                _last = value;
                _lastAt = at;
                _pending = double.NaN;
                return true;
            }

            if (!double.IsNaN(_pending) && FloatMath.Abs(value - _pending) <= _allowance)
            {
                _last = value;
                _lastAt = at;
                _pending = double.NaN;
                return true;
            }

            _pending = value;
            return false;
        }
    }
}
