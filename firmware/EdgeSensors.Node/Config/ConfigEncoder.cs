using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Config;

/// <summary>Writes configs in the form <see cref="ConfigDecoder"/> reads: node.json for the device, the retained topic document for the gateway.</summary>
public static class ConfigEncoder
{
    /// <summary>The full node.json, secrets included: for the device's internal storage only.</summary>
    public static string EncodeDevice(NodeConfig c)
    {
        var w = new JsonWriter(768);
        w.BeginObject().Name("v").Long(Topics.ProtocolVersion).Name("rev").Long(c.Revision).Name("node").String(c.NodeId)
            .Name("wifi").BeginObject().Name("ssid").String(c.WifiSsid).Name("password").String(c.WifiPassword).EndObject()
            .Name("gateway").BeginObject().Name("host").String(c.GatewayHost).Name("port").Long(c.GatewayPort).Name("tls").Bool(c.GatewayTls);
        if (c.GatewayCaPem != null)
        {
            w.Name("ca").String(c.GatewayCaPem);
        }

        w.EndObject()
            .Name("password").String(c.Password)
            .Name("outbox_capacity").Long(c.OutboxCapacity);
        WriteSettings(w, c);
        return w.EndObject().ToString();
    }

    /// <summary>The settings a gateway publishes on the retained config topic (no secrets, no identity).</summary>
    public static string EncodeRemote(NodeConfig c)
    {
        var w = new JsonWriter(512);
        w.BeginObject().Name("v").Long(Topics.ProtocolVersion).Name("rev").Long(c.Revision);
        WriteSettings(w, c);
        return w.EndObject().ToString();
    }

    private static void WriteSettings(JsonWriter w, NodeConfig c)
    {
        w.Name("interval_s").Long(c.IntervalSeconds)
            .Name("mode").String(c.Mode == PowerMode.AlwaysOn ? "always_on" : "deep_sleep")
            .Name("burst").Long(c.BurstSize)
            .Name("ema_alpha").Fixed(c.EmaAlpha, 3)
            .Name("calibration").BeginObject()
            .Name("ec_gain").Fixed(c.EcGain, 6)
            .Name("ec_offset").Fixed(c.EcOffset, 6)
            .Name("ec_alpha").Fixed(c.EcAlpha, 5)
            .Name("ec_ms_cm_per_v").Fixed(c.EcMsCmPerVolt, 4)
            .Name("battery_gain").Fixed(c.BatteryGain, 4)
            .Name("level_source").String(LevelSources.Name(c.LevelSource))
            .Name("pressure_ref").String(c.PressureReference == PressureReference.Absolute ? "absolute" : "gauge")
            .Name("pressure_zero_v").Fixed(c.PressureZeroVolts, 4)
            .Name("pressure_hpa_per_v").Fixed(c.PressureHpaPerVolt, 3)
            .Name("sensor_elevation_m").Fixed(c.SensorElevationM, 3)
            .Name("mount_elevation_m").Fixed(c.MountElevationM, 3)
            .Name("latitude").Fixed(c.Latitude, 5)
            .Name("calibrated_at").String(c.CalibratedAt)
            .Name("technician").String(c.Technician)
            .EndObject();
    }
}
