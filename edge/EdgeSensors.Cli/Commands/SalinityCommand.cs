using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Text.Json;
using EdgeSensors.Node.Probe;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Cli.Commands;

/// <summary>
/// `salinity`: a technician's check of a probe reading on the spot. Converts conductivity, temperature and
/// pressure to practical salinity with the same code the nodes run (PSS-78 with Hill et al. 1986 below 2).
/// </summary>
public static class SalinityCommand
{
    /// <summary>Lowest water temperature accepted, °C.</summary>
    public const double MinTemperatureC = -2;

    /// <summary>Highest water temperature accepted, °C.</summary>
    public const double MaxTemperatureC = 40;

    /// <summary>Builds the command.</summary>
    public static Command Create()
    {
        var ec = Numbers.Number("--ec", "Conductivity in mS/cm (1413 µS/cm = 1.413; 4.5 or 4,5). In-situ unless --ec25 is given.", 0, 100, "mS/cm");
        var temp = Numbers.Number("--temp", "Water temperature in °C (ITS-90), −2 to 40.", MinTemperatureC, MaxTemperatureC, "°C");
        var pressure = Numbers.Number("--pressure", "Sea pressure at the probe in dbar (about 1 dbar per metre of water; 0 at the surface).", 0, 1000, "dbar", 0.0);

        var ec25 = new Option<bool>("--ec25")
        {
            Description = "The --ec value is the probe's temperature-compensated EC25; undo the compensation first.",
        };
        var alpha = Numbers.Number("--alpha", "The probe's temperature coefficient for --ec25, per °C (typically 0.0185–0.02).", 0, 0.05, "per °C", 0.0191);

        var command = new Command(
            "salinity",
            "Convert a conductivity reading to practical salinity (‰) with PSS-78 and the Hill (1986) extension below 2 ‰.\n"
            + "Example: edgesensors salinity --ec 4.5 --temp 28")
        {
            ec, temp, pressure, ec25, alpha,
        };

        command.SetAction(parse =>
        {
            double c = parse.GetValue(ec);
            double t = parse.GetValue(temp);
            double p = parse.GetValue(pressure);
            bool compensated = parse.GetValue(ec25);
            double a = parse.GetValue(alpha);
            double inSitu = compensated ? ConductivityProbe.InSituFromEc25(c, t, a) : c;
            double sp = PracticalSalinity.FromConductivity(inSitu, t, p);
            if (double.IsNaN(sp))
            {
                parse.InvocationConfiguration.Error.WriteLine("These inputs are outside the PSS-78 domain; check the reading.");
                return ExitCodes.Usage;
            }

            string algorithm = sp < 2 ? "PSS-78 + Hill et al. (1986)" : "PSS-78";
            TextWriter output = parse.InvocationConfiguration.Output;
            if (parse.GetValue(GatewayTarget.Json))
            {
                using var stream = new MemoryStream();
                using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                {
                    w.WriteStartObject();
                    w.WriteNumber("practical_salinity", sp);
                    w.WriteNumber("salinity_ppt", Math.Round(sp, 3));
                    w.WriteNumber("ec_ms_cm", c);
                    w.WriteBoolean("ec25", compensated);
                    w.WriteNumber("ec_in_situ_ms_cm", inSitu);
                    w.WriteNumber("temperature_c", t);
                    w.WriteNumber("pressure_dbar", p);
                    w.WriteString("algorithm", algorithm);
                    w.WriteEndObject();
                }

                output.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            }
            else
            {
                var inv = CultureInfo.InvariantCulture;
                string ecText = compensated
                    ? string.Format(inv, "EC25 {0:0.000} mS/cm (α {1:0.0000}/°C → {2:0.000} mS/cm in situ)", c, a, inSitu)
                    : string.Format(inv, "EC {0:0.000} mS/cm", c);
                output.WriteLine(string.Format(inv, "Salinity {0:0.00} ‰ (độ mặn) from {1} at {2:0.0} °C, {3:0.0} dbar — {4}", sp, ecText, t, p, algorithm));
            }

            return ExitCodes.Ok;
        });

        return command;
    }
}
