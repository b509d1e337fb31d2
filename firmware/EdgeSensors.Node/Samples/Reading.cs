using EdgeSensors.Node.Numerics;

namespace EdgeSensors.Node.Samples;

/// <summary>
/// The seven reading fields of protocol v1. A field is NaN when its sensor failed: it is then left out of the
/// payload, never filled with a made-up value.
/// </summary>
public sealed class Reading
{
    /// <summary>Number of fields.</summary>
    public const int FieldCount = 7;

    /// <summary>Field names as they appear on the wire, in wire order.</summary>
    public static readonly string[] FieldNames =
    [
        "salinity_ppt", "ec_ms_cm", "water_temp_c", "level_m", "air_pressure_hpa", "air_temp_c", "humidity_pct",
    ];

    /// <summary>Decimal places each field is encoded with (same order as <see cref="FieldNames"/>).</summary>
    public static readonly int[] FieldDecimals = [2, 3, 1, 3, 1, 1, 0];

    /// <summary>Units of the fields (same order).</summary>
    public static readonly string[] FieldUnits = ["‰", "mS/cm", "°C", "m", "hPa", "°C", "%"];

    /// <summary>Lowest valid value of each field (same order): the gateway refuses a reading outside.</summary>
    public static readonly double[] FieldMin = [0, 0, -2, -200, 800, -20, 0];

    /// <summary>Highest valid value of each field (same order).</summary>
    public static readonly double[] FieldMax = [50, 150, 45, 200, 1100, 70, 100];

    private readonly double[] _values = new double[FieldCount];

    /// <summary>Creates a reading with every field absent.</summary>
    public Reading()
    {
        for (int i = 0; i < FieldCount; i++)
        {
            _values[i] = double.NaN;
        }
    }

    /// <summary>Practical salinity, ‰ (PSS-78, ≈ g/kg).</summary>
    public double SalinityPpt { get => _values[0]; set => _values[0] = value; }

    /// <summary>In-situ electrical conductivity, mS/cm.</summary>
    public double EcMsCm { get => _values[1]; set => _values[1] = value; }

    /// <summary>Water temperature, °C (ITS-90).</summary>
    public double WaterTempC { get => _values[2]; set => _values[2] = value; }

    /// <summary>Water level above the site datum, m.</summary>
    public double LevelM { get => _values[3]; set => _values[3] = value; }

    /// <summary>Air pressure, hPa.</summary>
    public double AirPressureHpa { get => _values[4]; set => _values[4] = value; }

    /// <summary>Air temperature, °C.</summary>
    public double AirTempC { get => _values[5]; set => _values[5] = value; }

    /// <summary>Relative humidity, %.</summary>
    public double HumidityPct { get => _values[6]; set => _values[6] = value; }

    /// <summary>Value of field i (wire order), NaN when absent.</summary>
    public double Get(int index) => _values[index];

    /// <summary>Sets field i (wire order); NaN or infinity marks it absent.</summary>
    public void Set(int index, double value) => _values[index] = FloatMath.IsFinite(value) ? value : double.NaN;

    /// <summary>True when field i carries a value.</summary>
    public bool Has(int index) => !double.IsNaN(_values[index]);

    /// <summary>Bit i set when field i is present.</summary>
    public int PresenceMask
    {
        get
        {
            int mask = 0;
            for (int i = 0; i < FieldCount; i++)
            {
                if (Has(i))
                {
                    mask |= 1 << i;
                }
            }

            return mask;
        }
    }
}
