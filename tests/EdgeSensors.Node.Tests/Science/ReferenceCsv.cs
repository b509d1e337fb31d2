using System.Globalization;

namespace EdgeSensors.Node.Tests.Science;

/// <summary>Reads the reference check-value CSVs (copied from shared/reference), skipping '#' comments and the header.</summary>
public static class ReferenceCsv
{
    public static IEnumerable<double[]> Rows(string fileName)
    {
        string path = Path.Combine(AppContext.BaseDirectory, "Reference", fileName);
        bool header = true;
        foreach (string line in File.ReadLines(path))
        {
            if (line.StartsWith('#') || line.Trim().Length == 0)
            {
                continue;
            }

            if (header)
            {
                header = false;
                continue;
            }

            yield return line.Split(',').Select(s => double.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        }
    }
}
