using EdgeSensors.Device.Simulator.Board;

namespace EdgeSensors.Device.Simulator.Tests;

/// <summary>The device program built from the repository's sources for the board, as it is and with planted faults.</summary>
public static class Programs
{
    private static readonly Lazy<ProgramImage> AsIs = new(() => ProgramImage.Build(Root));

    public static string Root => ProgramImage.FindRepositoryRoot(AppContext.BaseDirectory);

    /// <summary>The program as committed.</summary>
    public static ProgramImage Current => AsIs.Value;

    /// <summary>The program with one source file rewritten; fails if the text to replace is not there (the plant would be void).</summary>
    public static ProgramImage Planted(string file, string right, string wrong) => Planted(file, (right, wrong));

    /// <summary>The program with several replacements in one source file.</summary>
    public static ProgramImage Planted(string file, params (string Right, string Wrong)[] edits) => ProgramImage.Build(Root, (path, text) =>
    {
        if (!path.EndsWith(file, StringComparison.Ordinal))
        {
            return text;
        }

        foreach ((string right, string wrong) in edits)
        {
            Assert.Contains(right, text, StringComparison.Ordinal);
            text = text.Replace(right, wrong, StringComparison.Ordinal);
        }

        return text;
    });

    /// <summary>One BME280 binding kept for the whole run, as before issue 27: its settings live in its fields while the rail's power cycles reset the chip.</summary>
    public static ProgramImage BindingKeptAcrossPowerCycles() => Planted(
        "Adapters/Bme280AirSensor.cs",
        ("    public sealed class Bme280AirSensor : IAirSensor\n    {\n", "    public sealed class Bme280AirSensor : IAirSensor\n    {\n        private Bme280? _kept;\n\n"),
        ("            Bme280? bme = null;\n", "            Bme280? bme = _kept;\n"),
        ("                bme = new Bme280(", "                bme = bme ?? new Bme280("),
        ("                if (bme != null)\n                {\n                    bme.Dispose();\n                }", "                _kept = bme;"));

    /// <summary>The old boot order: the BME280 binding opened when the adapter is built, with the sensor rail off.</summary>
    public static ProgramImage OldBootOrder() => Planted(
        "Adapters/Bme280AirSensor.cs",
        "    public sealed class Bme280AirSensor : IAirSensor\n    {\n",
        "    public sealed class Bme280AirSensor : IAirSensor\n    {\n        private readonly Bme280 _opened = new Bme280(I2cDevice.Create(new I2cConnectionSettings(1, Bme280.SecondaryI2cAddress)));\n\n");

    /// <summary>The schedule's clock taken from DateTime.UtcNow (the RTC), as before.</summary>
    public static ProgramImage ClockFromRtc() => Planted(
        "Adapters/DeviceClock.cs",
        "public long MonotonicMs => Environment.TickCount64;",
        "private readonly DateTime _bootedAt = DateTime.UtcNow;\n\n        public long MonotonicMs => (DateTime.UtcNow - _bootedAt).Ticks / TimeSpan.TicksPerMillisecond;");

    /// <summary>The battery cutoff kept only in RAM: the state on flash is written but never read back.</summary>
    public static ProgramImage CutoffInRam() => Planted(
        "Cycle/NodeCycle.cs",
        "        LoadCutoff();\n",
        string.Empty);
}
