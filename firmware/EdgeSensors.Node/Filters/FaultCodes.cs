using EdgeSensors.Node.Cycle;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Filters;

/// <summary>
/// The fixed vocabulary of fault codes a node reports in status: "field:kind", where kind is one of the
/// <see cref="SensorFault"/> names (<see cref="SampleProcessor.FaultName"/>) or the battery cutoff. Whatever crosses
/// from a node into alerts that farmers read is checked against it: a code outside it is not shown as sent.
/// </summary>
public static class FaultCodes
{
    /// <summary>Shown in place of every code outside the vocabulary.</summary>
    public const string Unrecognised = "unrecognised_fault_code";

    /// <summary>Longest field name a code may carry.</summary>
    public const int MaxFieldLength = 24;

    /// <summary>Whether <paramref name="code"/> is one the node program can send.</summary>
    public static bool IsKnown(string? code)
    {
        if (code == null)
        {
            return false;
        }

        if (code == NodeCycle.BatteryCutoffFault)
        {
            return true;
        }

        int colon = code.IndexOf(':');
        if (colon < 1 || colon > MaxFieldLength)
        {
            return false;
        }

        for (int i = 0; i < colon; i++)
        {
            char c = code[i];
            if (!((c >= 'a' && c <= 'z') || c == '_'))
            {
                return false;
            }
        }

        string kind = code.Substring(colon + 1);
        for (int k = (int)SensorFault.OpenProbe; k <= (int)SensorFault.AssumedFreshWater; k++)
        {
            if (SampleProcessor.FaultName((SensorFault)k) == kind)
            {
                return true;
            }
        }

        return false;
    }
}
