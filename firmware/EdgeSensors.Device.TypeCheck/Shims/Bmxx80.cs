// Compile-only shim of nanoFramework.Iot.Device.Bmxx80 1.2.869 (package nanoFramework.Iot.Device.Bmxx80) and the UnitsNet
// quantities it returns (packages UnitsNet.nanoFramework.Temperature, .Pressure, .RelativeHumidity 5.74.0); the read result
// hierarchy (Bme280ReadResult : Bmp280ReadResult) as in the library's ReadResult folder; the *IsValid flags are get-only.
// No behaviour; never deployed.
// Transcribes: nanoFramework.Iot.Device.Bmxx80 1.2.869, UnitsNet.nanoFramework.Temperature 5.74.0, UnitsNet.nanoFramework.Pressure 5.74.0, UnitsNet.nanoFramework.RelativeHumidity 5.74.0
using System;
using System.Device.I2c;

namespace Iot.Device.Bmxx80
{
    // Bmxx80Base.cs, Bmx280Base.cs, Bme280.cs: Bme280 : Bmx280Base : Bmxx80Base; the addresses are Bmx280Base's.
    public abstract class Bmxx80Base : IDisposable
    {
        public void Dispose() => throw new NotSupportedException();
    }

    public abstract class Bmx280Base : Bmxx80Base
    {
        public const byte DefaultI2cAddress = 0x77;

        public const byte SecondaryI2cAddress = 0x76;
    }

    public class Bme280 : Bmx280Base
    {
        public Bme280(I2cDevice i2cDevice) => throw new NotSupportedException();

        public ReadResult.Bme280ReadResult Read() => throw new NotSupportedException();
    }
}

namespace Iot.Device.Bmxx80.ReadResult
{
    public class Bmp280ReadResult
    {
        public UnitsNet.Temperature Temperature => throw new NotSupportedException();

        public bool TemperatureIsValid => throw new NotSupportedException();

        public UnitsNet.Pressure Pressure => throw new NotSupportedException();

        public bool PressureIsValid => throw new NotSupportedException();
    }

    public class Bme280ReadResult : Bmp280ReadResult
    {
        public UnitsNet.RelativeHumidity Humidity => throw new NotSupportedException();

        public bool HumidityIsValid => throw new NotSupportedException();
    }
}

namespace UnitsNet
{
    public struct Temperature
    {
        public double DegreesCelsius => throw new NotSupportedException();
    }

    public struct Pressure
    {
        public double Hectopascals => throw new NotSupportedException();
    }

    public struct RelativeHumidity
    {
        public double Percent => throw new NotSupportedException();
    }
}
