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
        var ec = new Option<double>("--ec")
        {
            Description = "Conductivity in mS/cm (1413 µS/cm = 1.413). In-situ unless --ec25 is given.",
            Required = true,
        };
        ec.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (double.IsNaN(v) || v < 0 || v > 100)
            {
                r.AddError($"--ec must be a conductivity between 0 and 100 mS/cm; got {v.ToString(CultureInfo.InvariantCulture)}.");
            }
        });

        var temp = new Option<double>("--temp")
        {
            Description = "Water temperature in °C (ITS-90), −2 to 40.",
            Required = true,
        };
        temp.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (double.IsNaN(v) || v < MinTemperatureC || v > MaxTemperatureC)
            {
                r.AddError($"--temp must be between {MinTemperatureC} and {MaxTemperatureC} °C; got {v.ToString(CultureInfo.InvariantCulture)}.");
            }
        });

        var pressure = new Option<double>("--pressure")
        {
            Description = "Sea pressure at the probe in dbar (about 1 dbar per metre of water; 0 at the surface).",
            DefaultValueFactory = _ => 0.0,
        };
        pressure.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (double.IsNaN(v) || v < 0 || v > 1000)
            {
                r.AddError($"--pressure must be between 0 and 1000 dbar; got {v.ToString(CultureInfo.InvariantCulture)}.");
            }
        });

        var ec25 = new Option<bool>("--ec25")
        {
            Description = "The --ec value is the probe's temperature-compensated EC25; undo the compensation first.",
        };
        var alpha = new Option<double>("--alpha")
        {
            Description = "The probe's temperature coefficient for --ec25, per °C (typically 0.0185–0.02).",
            DefaultValueFactory = _ => 0.0191,
        };
        alpha.Validators.Add(r =>
        {
            double v = r.GetValueOrDefault<double>();
            if (double.IsNaN(v) || v < 0 || v > 0.05)
            {
                r.AddError("--alpha must be between 0 and 0.05 per °C.");
            }
        });


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
