using System.Globalization;
using EdgeSensors.Gateway.Alerts;

namespace EdgeSensors.Gateway.Tests.Alerts;

/// <summary>docs/alerts.md's profile table is what the gateway does: same profiles, same ‰, dS/m by PSS-78.</summary>
public class CropProfileDocsTests
{
    [Fact]
    public void The_documented_profile_table_matches_the_defaults_and_their_conductivity()
    {
        string[] rows = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Docs", "alerts.md"))
            .Where(l => l.StartsWith("| `", StringComparison.Ordinal) && l.Contains("min |", StringComparison.Ordinal))
            .ToArray();
        Assert.Equal(CropProfiles.Defaults.Select(p => p.Id), rows.Select(r => r.Split('`')[1]));
        foreach (string row in rows)
        {
            string[] cells = row.Split('|', StringSplitOptions.TrimEntries);
            CropProfile p = CropProfiles.Find(CropProfiles.Defaults, row.Split('`')[1])!;
            double[] ppt = [p.Watch, p.Warning, p.Danger];
            for (int i = 0; i < 3; i++)
            {
                // "0.6 (1.2)": ‰ then dS/m at 25 °C.
                string[] parts = cells[3 + i].Split([' ', '(', ')'], StringSplitOptions.RemoveEmptyEntries);
                Assert.Equal(ppt[i], double.Parse(parts[0], CultureInfo.InvariantCulture));
                Assert.Equal(CropProfile.DsPerMetre(ppt[i]), double.Parse(parts[1], CultureInfo.InvariantCulture), 0.051);
            }

            Assert.StartsWith(p.ReopenBelow.ToString("0.0#", CultureInfo.InvariantCulture) + " ‰, " + p.ReopenHoldMinutes + " min", cells[6], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(1.0, 1.969)] // PSS-78 with Hill's extension, at 25 °C
    [InlineData(2.0, 3.797)]
    [InlineData(0.5, 1.015)]
    public void Ppt_and_dS_per_metre_convert_by_PSS78(double ppt, double dsPerMetre)
    {
        Assert.Equal(dsPerMetre, CropProfile.DsPerMetre(ppt), 0.002);
        Assert.Equal(ppt, CropProfile.PptOf(dsPerMetre), 0.002);
    }
}
