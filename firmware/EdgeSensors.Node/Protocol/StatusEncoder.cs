namespace EdgeSensors.Node.Protocol;

/// <summary>Encodes the retained status payloads: online (published after connect) and offline (the last will).</summary>
public static class StatusEncoder
{
    /// <summary>{"v":1,"node":…,"online":true,…}.</summary>
    public static byte[] Online(NodeStatus s)
    {
        var w = new JsonWriter(320);
        w.BeginObject().Name("v").Long(Topics.ProtocolVersion).Name("node").String(s.Node).Name("online").Bool(true)
            .Name("fw").String(s.Firmware).Name("boot").Long(s.Boot).Name("reset").String(s.ResetReason);
        if (!double.IsNaN(s.BatteryVolts))
        {
            w.Name("bat_v").Fixed(s.BatteryVolts, 2);
        }

        if (s.RssiDbm != 0)
        {
            w.Name("rssi_dbm").Long(s.RssiDbm);
        }

        if (s.FreeMemoryBytes >= 0)
        {
            w.Name("free_mem").Long(s.FreeMemoryBytes);
        }

        w.Name("sync").Bool(s.ClockSynchronized)
            .Name("interval_s").Long(s.IntervalSeconds)
            .Name("mode").String(s.Mode)
            .Name("outbox").BeginObject().Name("depth").Long(s.OutboxDepth).Name("dropped").Long(s.OutboxDropped).EndObject()
            .Name("faults").BeginArray();
        for (int i = 0; i < s.Faults.Length; i++)
        {
            w.String(s.Faults[i]);
        }

        w.EndArray().Name("config_rev").Long(s.ConfigRevision);
        if (s.ConfigError.Length > 0)
        {
            w.Name("config_error").String(s.ConfigError);
        }

        return Utf8.Encode(w.EndObject().ToString());
    }

    /// <summary>The last will: {"v":1,"node":…,"online":false,"boot":…}. The broker publishes it, retained, if the node vanishes.</summary>
    public static byte[] Offline(string node, uint boot)
    {
        var w = new JsonWriter(96);
        w.BeginObject().Name("v").Long(Topics.ProtocolVersion).Name("node").String(node).Name("online").Bool(false)
            .Name("boot").Long(boot).EndObject();
        return Utf8.Encode(w.ToString());
    }
}
