// Executable UnitsNet.nanoFramework 5.74.0 quantities (Temperature, Pressure, RelativeHumidity, Length, ElectricPotential) the
// bindings return: the members the device program reads.
namespace UnitsNet
{
    public struct Temperature
    {
        private Temperature(double celsius)
        {
            DegreesCelsius = celsius;
        }

        public double DegreesCelsius { get; }

        public static Temperature FromDegreesCelsius(double celsius) => new Temperature(celsius);
    }

    public struct Pressure
    {
        private Pressure(double pascals)
        {
            Pascals = pascals;
        }

        public double Pascals { get; }

        public double Hectopascals => Pascals / 100.0;

        public static Pressure FromPascals(double pascals) => new Pressure(pascals);
    }

    public struct RelativeHumidity
    {
        private RelativeHumidity(double percent)
        {
            Percent = percent;
        }

        public double Percent { get; }

        public static RelativeHumidity FromPercent(double percent) => new RelativeHumidity(percent);
    }

    public struct Length
    {
        private Length(double meters)
        {
            Meters = meters;
        }

        public double Meters { get; }

        public static Length FromMeters(double meters) => new Length(meters);
    }
}
