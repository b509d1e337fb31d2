using System;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Protocol;

/// <summary>
/// Encodes samples as a v1 telemetry payload:
/// {"v":1,"node":…,"boot":…,"samples":[{"seq":…,"ts":…,"sync":…,"r":{…}}…],"bat_v":…,"rssi_dbm":…}.
/// Fields are written with fixed decimals (<see cref="Reading.FieldDecimals"/>); absent fields are left out.
/// </summary>
public static class TelemetryEncoder
{
    /// <summary>
    /// Encodes as many of <paramref name="samples"/> (all of one boot, in order) as fit in
    /// <paramref name="maxBytes"/>; <paramref name="included"/> says how many. At least one sample always fits,
    /// since one sample is a few hundred bytes.
    /// </summary>
    public static byte[] Encode(string node, Sample[] samples, double batteryVolts, int rssiDbm, int maxBytes, out int included)
    {
        if (samples.Length == 0)
        {
            throw new ArgumentException("A telemetry payload carries at least one sample.", nameof(samples));
        }

        var head = new JsonWriter(64);
        head.BeginObject().Name("v").Long(Topics.ProtocolVersion).Name("node").String(node)
            .Name("boot").Long(samples[0].Boot).Name("samples").BeginArray();
        var tail = new JsonWriter(48);
        tail.BeginObject();
        if (!double.IsNaN(batteryVolts))
        {
            tail.Name("bat_v").Fixed(batteryVolts, 2);
        }

        if (rssiDbm != 0)
        {
            tail.Name("rssi_dbm").Long(rssiDbm);
        }

        // "]" + the tail's members + "}"; the tail writer's own braces are dropped.
        string tailText = tail.EndObject().ToString();
        string tailMembers = tailText.Length > 2 ? "," + tailText.Substring(1, tailText.Length - 2) : string.Empty;
        int size = head.Length + 1 + tailMembers.Length + 1;

        string[] parts = new string[samples.Length];
        included = 0;
        for (int i = 0; i < samples.Length; i++)
        {
            if (samples[i].Boot != samples[0].Boot)
            {
                break;
            }

            string part = EncodeSample(samples[i]);
            int add = part.Length + (included > 0 ? 1 : 0);
            if (included > 0 && size + add > maxBytes)
            {
                break;
            }

            parts[i] = part;
            size += add;
            included++;
        }

        char[] text = new char[size];
        int n = 0;
        n = Put(text, n, head.ToString());
        for (int i = 0; i < included; i++)
        {
            if (i > 0)
            {
                text[n++] = ',';
            }

            n = Put(text, n, parts[i]);
        }

        text[n++] = ']';
        n = Put(text, n, tailMembers);
        text[n++] = '}';
        return Utf8.Encode(new string(text, 0, n));
    }

    /// <summary>One sample object: {"seq":…,"ts":…,"sync":…,"r":{…}}.</summary>
    public static string EncodeSample(Sample sample)
    {
        var w = new JsonWriter(200);
        w.BeginObject().Name("seq").Long(sample.Seq).Name("ts").Long(sample.Timestamp).Name("sync").Bool(sample.ClockSynchronized)
            .Name("r").BeginObject();
        for (int f = 0; f < Reading.FieldCount; f++)
        {
            if (sample.Reading.Has(f))
            {
                w.Name(Reading.FieldNames[f]).Fixed(sample.Reading.Get(f), Reading.FieldDecimals[f]);
            }
        }

        return w.EndObject().EndObject().ToString();
    }

    private static int Put(char[] target, int at, string s)
    {
        for (int i = 0; i < s.Length; i++)
        {
            target[at + i] = s[i];
        }

        return at + s.Length;
    }
}
