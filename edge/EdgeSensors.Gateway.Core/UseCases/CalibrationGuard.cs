using System.Globalization;
using System.Text.Json;

namespace EdgeSensors.Gateway.UseCases;

/// <summary>
/// Calibration changes are bounded (issue 19): an operator token must not be able to inflate a node's readings
/// without trace. A change of a multiplicative calibration (EC gain, EC slope, pressure slope, battery divider) by
/// more than the configured factor from what the node has now needs a technician's calibration record in the same
/// request: the reference solution's conductivity, what the probe measured in it, and who did it — which also must
/// agree with the new gain. Whatever passes is written to the audit log.
/// </summary>
public static class CalibrationGuard
{
    private static readonly string[] Multiplicative = ["ec_gain", "ec_ms_cm_per_v", "pressure_hpa_per_v", "battery_gain"];

    /// <summary>Largest change of ec_offset without a calibration record, mS/cm (0.5 mS/cm ≈ 0.3 ‰ near the rice thresholds).</summary>
    public const double MaxOffsetChangeMsCm = 0.5;

    /// <summary>Null when the change may go out; otherwise why not. <paramref name="note"/> says what was changed, for the audit.</summary>
    /// <param name="recordedCalibration">The change is a technician's recorded calibration (the wizard's): its offset is what the two standards gave, not bounded.</param>
    public static string? Check(string? currentConfig, IReadOnlyDictionary<string, JsonElement> proposed, JsonElement? record, double maxFactor, out string? note, bool recordedCalibration = false)
    {
        note = null;
        if (!proposed.TryGetValue("calibration", out JsonElement cal) || cal.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        JsonElement current = default;
        if (currentConfig != null)
        {
            using JsonDocument doc = JsonDocument.Parse(currentConfig);
            if (doc.RootElement.TryGetProperty("calibration", out JsonElement c) && c.ValueKind == JsonValueKind.Object)
            {
                current = c.Clone();
            }
        }

        var changes = new List<string>();
        double? gainChange = null;
        foreach (string key in Multiplicative)
        {
            if (!cal.TryGetProperty(key, out JsonElement v) || v.ValueKind != JsonValueKind.Number)
            {
                continue;
            }

            double now = current.ValueKind == JsonValueKind.Object && current.TryGetProperty(key, out JsonElement o) && o.ValueKind == JsonValueKind.Number ? o.GetDouble()
                : key is "ec_gain" or "battery_gain" ? 1.0 : double.NaN;
            double next = v.GetDouble();
            if (double.IsNaN(now) || now == 0 || next <= 0)
            {
                changes.Add($"{key} → {next.ToString(CultureInfo.InvariantCulture)}");
                continue;
            }

            double factor = next / now;
            changes.Add($"{key} {now.ToString(CultureInfo.InvariantCulture)} → {next.ToString(CultureInfo.InvariantCulture)} (×{factor.ToString("0.###", CultureInfo.InvariantCulture)})");
            if (factor > maxFactor || factor < 1 / maxFactor)
            {
                gainChange ??= key == "ec_gain" ? factor : gainChange;
                if (record is not { ValueKind: JsonValueKind.Object } r)
                {
                    return $"calibration.{key} would change by ×{factor.ToString("0.###", CultureInfo.InvariantCulture)}, more than the allowed ×{maxFactor.ToString(CultureInfo.InvariantCulture)}: "
                        + "send a \"calibration_record\" with \"technician\", \"reference_ms_cm\" (the standard solution) and \"measured_ms_cm\" (what the probe read in it) — see hardware/node-esp32/README.md (calibration)";
                }

                string? problem = RecordProblem(r, key == "ec_gain" ? factor : null);
                if (problem != null)
                {
                    return problem;
                }
            }
        }

        if (cal.TryGetProperty("ec_offset", out JsonElement off) && off.ValueKind == JsonValueKind.Number)
        {
            double was = current.ValueKind == JsonValueKind.Object && current.TryGetProperty("ec_offset", out JsonElement o) && o.ValueKind == JsonValueKind.Number ? o.GetDouble() : 0;
            double delta = off.GetDouble() - was;
            changes.Add(string.Create(CultureInfo.InvariantCulture, $"ec_offset {was} → {off.GetDouble()}"));
            if (Math.Abs(delta) > MaxOffsetChangeMsCm && !recordedCalibration && record is not { ValueKind: JsonValueKind.Object })
            {
                return string.Create(CultureInfo.InvariantCulture, $"calibration.ec_offset would move by {delta:+0.###;-0.###} mS/cm, more than the allowed ±{MaxOffsetChangeMsCm}: send a \"calibration_record\" (technician, reference_ms_cm, measured_ms_cm)");
            }
        }

        if (changes.Count > 0)
        {
            note = "calibration: " + string.Join(", ", changes);
            if (record is { ValueKind: JsonValueKind.Object } rec)
            {
                note += "; record " + rec.GetRawText();
            }
        }

        return null;
    }

    private static string? RecordProblem(JsonElement r, double? gainFactor)
    {
        if (!r.TryGetProperty("technician", out JsonElement t) || t.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(t.GetString()))
        {
            return "calibration_record.technician (who calibrated) is required";
        }

        if (!r.TryGetProperty("reference_ms_cm", out JsonElement refEl) || refEl.ValueKind != JsonValueKind.Number || refEl.GetDouble() <= 0
            || !r.TryGetProperty("measured_ms_cm", out JsonElement measEl) || measEl.ValueKind != JsonValueKind.Number || measEl.GetDouble() <= 0)
        {
            return "calibration_record needs reference_ms_cm and measured_ms_cm, both positive numbers";
        }

        if (gainFactor is double f)
        {
            double implied = refEl.GetDouble() / measEl.GetDouble();
            if (Math.Abs((implied / f) - 1) > 0.05)
            {
                return $"calibration_record does not support the new ec_gain: reference / measured = ×{implied.ToString("0.###", CultureInfo.InvariantCulture)}, the change is ×{f.ToString("0.###", CultureInfo.InvariantCulture)}";
            }
        }

        return null;
    }
}
