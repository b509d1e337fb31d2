using EdgeSensors.Node.Numerics;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Science;

namespace EdgeSensors.Node.Config;

/// <summary>
/// Decodes the node's config: the device file node.json (identity, Wi-Fi, gateway, credentials, settings) and the
/// retained config topic (settings only). Strict: unknown keys, wrong types, out-of-range values and missing required
/// fields are refused with a reason naming the field, and the config in force is never touched by a refused
/// document (decoding works on a copy).
/// </summary>
public static class ConfigDecoder
{
    /// <summary>Decodes node.json. Returns null and a reason when it is not acceptable.</summary>
    public static NodeConfig? DecodeDevice(byte[] json, out string error)
    {
        JsonValue? root = ParseRoot(json, out error);
        if (root == null)
        {
            return null;
        }

        var config = new NodeConfig();
        if (!ApplyMembers(config, root, true, out error))
        {
            return null;
        }

        string[] required = ["node", "wifi", "gateway", "password"];
        for (int i = 0; i < required.Length; i++)
        {
            if (root.Get(required[i]) == null)
            {
                error = "missing required field \"" + required[i] + "\"";
                return null;
            }
        }

        // TLS is the default (NodeConfig, the one home the CLI writes too): a node with TLS must know whom to trust.
        if (config.GatewayTls && config.GatewayCaPem == null)
        {
            error = "missing \"gateway.ca\": TLS to the gateway is on (the default) and the node must trust the gateway's CA (its data/tls/ca.crt); only for a lab gateway with plain MQTT set \"gateway.tls\": false";
            return null;
        }

        return config;
    }

    /// <summary>
    /// Applies a retained config document to a copy of <paramref name="current"/>. Returns the new config, or null
    /// and a reason (the caller keeps <paramref name="current"/>).
    /// </summary>
    public static NodeConfig? ApplyRemote(NodeConfig current, byte[] json, out string error)
    {
        JsonValue? root = ParseRoot(json, out error);
        if (root == null)
        {
            return null;
        }

        NodeConfig candidate = current.Clone();
        return ApplyMembers(candidate, root, false, out error) ? candidate : null;
    }

    private static JsonValue? ParseRoot(byte[] json, out string error)
    {
        JsonValue? root = JsonReader.Parse(json, ConfigRules.MaxDocumentBytes, out error);
        if (root == null)
        {
            error = "config is not valid JSON: " + error;
            return null;
        }

        if (root.Kind != JsonKind.Object)
        {
            error = "config must be a JSON object";
            return null;
        }

        JsonValue? v = root.Get("v");
        if (v == null)
        {
            error = "missing required field \"v\" (protocol version)";
            return null;
        }

        if (v.Kind != JsonKind.Number || v.Number != Topics.ProtocolVersion)
        {
            error = "unsupported config version: \"v\" must be 1";
            return null;
        }

        return root;
    }

    private static bool ApplyMembers(NodeConfig c, JsonValue root, bool device, out string error)
    {
        error = string.Empty;
        for (int i = 0; i < root.Count; i++)
        {
            string name = root.NameAt(i);
            JsonValue value = root.At(i);
            bool deviceOnly = name == "node" || name == "wifi" || name == "gateway" || name == "password" || name == "outbox_capacity";
            if (deviceOnly && !device)
            {
                error = "\"" + name + "\" can only be set in node.json, not over the config topic";
                return false;
            }

            bool ok;
            switch (name)
            {
                case "v":
                    ok = true;
                    break;
                case "rev":
                    ok = Integer(value, name, 0, 9007199254740991, out long rev, out error);
                    c.Revision = rev;
                    break;
                case "node":
                    ok = Text(value, name, 1, Topics.MaxNodeIdLength, out string node, out error);
                    if (ok && !Topics.IsValidNodeId(node))
                    {
                        error = "\"node\" must be 1–32 lower-case letters, digits or '-'";
                        ok = false;
                    }

                    c.NodeId = node;
                    break;
                case "password":
                    ok = Text(value, name, 12, 128, out string password, out error);
                    c.Password = password;
                    break;
                case "wifi":
                    ok = ApplyWifi(c, value, out error);
                    break;
                case "gateway":
                    ok = ApplyGateway(c, value, out error);
                    break;
                case "interval_s":
                    ok = Integer(value, name, ConfigRules.MinIntervalSeconds, ConfigRules.MaxIntervalSeconds, out long interval, out error);
                    c.IntervalSeconds = (int)interval;
                    break;
                case "mode":
                    ok = Text(value, name, 1, 16, out string mode, out error);
                    if (ok)
                    {
                        if (mode == "deep_sleep")
                        {
                            c.Mode = PowerMode.DeepSleep;
                        }
                        else if (mode == "always_on")
                        {
                            c.Mode = PowerMode.AlwaysOn;
                        }
                        else
                        {
                            error = "\"mode\" must be \"deep_sleep\" or \"always_on\"";
                            ok = false;
                        }
                    }

                    break;
                case "outbox_capacity":
                    ok = Integer(value, name, ConfigRules.MinOutboxCapacity, ConfigRules.MaxOutboxCapacity, out long capacity, out error);
                    c.OutboxCapacity = (int)capacity;
                    break;
                case "burst":
                    ok = Integer(value, name, 1, 32, out long burst, out error);
                    c.BurstSize = (int)burst;
                    break;
                case "ema_alpha":
                    ok = Number(value, name, 0.01, 1.0, out double ema, out error);
                    c.EmaAlpha = ema;
                    break;
                case "calibration":
                    ok = ApplyCalibration(c, value, out error);
                    break;
                default:
                    error = "unknown field \"" + name + "\"";
                    ok = false;
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool ApplyWifi(NodeConfig c, JsonValue wifi, out string error)
    {
        if (!IsObject(wifi, "wifi", out error))
        {
            return false;
        }

        for (int i = 0; i < wifi.Count; i++)
        {
            string name = wifi.NameAt(i);
            JsonValue v = wifi.At(i);
            bool ok;
            switch (name)
            {
                case "ssid":
                    ok = Text(v, "wifi.ssid", 1, 32, out string ssid, out error);
                    c.WifiSsid = ssid;
                    break;
                case "password":
                    ok = Text(v, "wifi.password", 0, 63, out string pw, out error);
                    if (ok && pw.Length > 0 && pw.Length < 8)
                    {
                        error = "\"wifi.password\" must be empty (open network) or 8–63 characters (WPA2)";
                        ok = false;
                    }

                    c.WifiPassword = pw;
                    break;
                default:
                    error = "unknown field \"wifi." + name + "\"";
                    ok = false;
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (wifi.Get("ssid") == null)
        {
            error = "missing required field \"wifi.ssid\"";
            return false;
        }

        return true;
    }

    private static bool ApplyGateway(NodeConfig c, JsonValue gateway, out string error)
    {
        if (!IsObject(gateway, "gateway", out error))
        {
            return false;
        }

        for (int i = 0; i < gateway.Count; i++)
        {
            string name = gateway.NameAt(i);
            JsonValue v = gateway.At(i);
            bool ok;
            switch (name)
            {
                case "host":
                    ok = Text(v, "gateway.host", 1, 253, out string host, out error);
                    if (ok && !IsHostName(host))
                    {
                        // A port or a scheme here would make a node.json whose node can never connect (issue 30).
                        error = "\"gateway.host\" is a name or an IPv4 address only (letters, digits, '-' and '.', e.g. 192.168.1.10): the port goes in \"gateway.port\", and no scheme";
                        ok = false;
                    }

                    c.GatewayHost = host;
                    break;
                case "port":
                    ok = Integer(v, "gateway.port", 1, 65535, out long port, out error);
                    c.GatewayPort = (int)port;
                    break;
                case "tls":
                    ok = Flag(v, "gateway.tls", out bool tls, out error);
                    c.GatewayTls = tls;
                    break;
                case "ca":
                    ok = Text(v, "gateway.ca", 64, 8192, out string ca, out error);
                    if (ok && !IsPemCertificate(ca))
                    {
                        error = "\"gateway.ca\" must be a PEM certificate (the gateway's data/tls/ca.crt)";
                        ok = false;
                    }

                    c.GatewayCaPem = ca;
                    break;
                default:
                    error = "unknown field \"gateway." + name + "\"";
                    ok = false;
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        if (gateway.Get("host") == null)
        {
            error = "missing required field \"gateway.host\"";
            return false;
        }

        return true;
    }

    /// <summary>A DNS name or an IPv4 address: letters, digits, '-' and '.' only, not starting or ending with '.' or '-'.</summary>
    private static bool IsHostName(string host)
    {
        for (int i = 0; i < host.Length; i++)
        {
            char ch = host[i];
            bool ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '.';
            if (!ok)
            {
                return false;
            }
        }

        char first = host[0];
        char last = host[host.Length - 1];
        return first != '.' && first != '-' && last != '.' && last != '-';
    }

    private static bool ApplyCalibration(NodeConfig c, JsonValue cal, out string error)
    {
        if (!IsObject(cal, "calibration", out error))
        {
            return false;
        }

        for (int i = 0; i < cal.Count; i++)
        {
            string name = cal.NameAt(i);
            JsonValue v = cal.At(i);
            string field = "calibration." + name;
            bool ok;
            double d;
            switch (name)
            {
                case "ec_gain":
                    ok = Number(v, field, 0.2, 5.0, out d, out error);
                    c.EcGain = d;
                    break;
                case "ec_offset":
                    ok = Number(v, field, -5.0, 5.0, out d, out error);
                    c.EcOffset = d;
                    break;
                case "ec_alpha":
                    ok = Number(v, field, 0.0, 0.05, out d, out error);
                    c.EcAlpha = d;
                    break;
                case "ec_ms_cm_per_v":
                    ok = Number(v, field, 0.01, 1000.0, out d, out error);
                    c.EcMsCmPerVolt = d;
                    break;
                case "battery_gain":
                    ok = Number(v, field, 0.8, 1.2, out d, out error);
                    c.BatteryGain = d;
                    break;
                case "level_source":
                    ok = Text(v, field, 1, 16, out string source, out error);
                    if (ok)
                    {
                        if (LevelSources.TryParse(source, out LevelSource parsed))
                        {
                            c.LevelSource = parsed;
                        }
                        else
                        {
                            error = "\"calibration.level_source\" must be " + LevelSources.Listed();
                            ok = false;
                        }
                    }

                    break;
                case "pressure_ref":
                    ok = Text(v, field, 1, 16, out string reference, out error);
                    if (ok)
                    {
                        if (reference == "gauge")
                        {
                            c.PressureReference = PressureReference.Gauge;
                        }
                        else if (reference == "absolute")
                        {
                            c.PressureReference = PressureReference.Absolute;
                        }
                        else
                        {
                            error = "\"calibration.pressure_ref\" must be \"gauge\" or \"absolute\"";
                            ok = false;
                        }
                    }

                    break;
                case "pressure_zero_v":
                    ok = Number(v, field, -1.0, 5.0, out d, out error);
                    c.PressureZeroVolts = d;
                    break;
                case "pressure_hpa_per_v":
                    ok = Number(v, field, 1.0, 100000.0, out d, out error);
                    c.PressureHpaPerVolt = d;
                    break;
                case "sensor_elevation_m":
                    ok = Number(v, field, -100.0, 100.0, out d, out error);
                    c.SensorElevationM = d;
                    break;
                case "mount_elevation_m":
                    ok = Number(v, field, -100.0, 100.0, out d, out error);
                    c.MountElevationM = d;
                    break;
                case "latitude":
                    ok = Number(v, field, -90.0, 90.0, out d, out error);
                    c.Latitude = d;
                    break;
                case "calibrated_at":
                    ok = Text(v, field, 0, 40, out string at, out error);
                    c.CalibratedAt = at;
                    break;
                case "technician":
                    ok = Text(v, field, 0, 80, out string tech, out error);
                    c.Technician = tech;
                    break;
                default:
                    error = "unknown field \"" + field + "\"";
                    ok = false;
                    break;
            }

            if (!ok)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsObject(JsonValue v, string field, out string error)
    {
        error = v.Kind == JsonKind.Object ? string.Empty : "\"" + field + "\" must be an object";
        return error.Length == 0;
    }

    private static bool IsPemCertificate(string text)
    {
        const string Begin = "-----BEGIN CERTIFICATE-----";
        if (text.Length < Begin.Length)
        {
            return false;
        }

        for (int i = 0; i < Begin.Length; i++)
        {
            if (text[i] != Begin[i])
            {
                return false;
            }
        }

        return true;
    }

    private static bool Text(JsonValue v, string field, int minLength, int maxLength, out string text, out string error)
    {
        text = string.Empty;
        error = string.Empty;
        if (v.Kind != JsonKind.String)
        {
            error = "\"" + field + "\" must be a string";
            return false;
        }

        if (v.Text.Length < minLength || v.Text.Length > maxLength)
        {
            error = "\"" + field + "\" must be " + minLength.ToString() + "–" + maxLength.ToString() + " characters long";
            return false;
        }

        text = v.Text;
        return true;
    }

    private static bool Flag(JsonValue v, string field, out bool flag, out string error)
    {
        flag = v.Boolean;
        error = v.Kind == JsonKind.Boolean ? string.Empty : "\"" + field + "\" must be true or false";
        return error.Length == 0;
    }

    private static bool Integer(JsonValue v, string field, long min, long max, out long value, out string error)
    {
        value = 0;
        error = string.Empty;
        if (v.Kind != JsonKind.Number || FloatMath.Floor(v.Number) != v.Number)
        {
            error = "\"" + field + "\" must be a whole number";
            return false;
        }

        if (v.Number < min || v.Number > max)
        {
            error = "\"" + field + "\" must be between " + min.ToString() + " and " + max.ToString();
            return false;
        }

        value = (long)v.Number;
        return true;
    }

    private static bool Number(JsonValue v, string field, double min, double max, out double value, out string error)
    {
        value = 0;
        error = string.Empty;
        if (v.Kind != JsonKind.Number)
        {
            error = "\"" + field + "\" must be a number";
            return false;
        }

        if (v.Number < min || v.Number > max)
        {
            error = "\"" + field + "\" must be between " + JsonWriter.FormatFixed(min, 3) + " and " + JsonWriter.FormatFixed(max, 3);
            return false;
        }

        value = v.Number;
        return true;
    }
}
