using System.Text;
using EdgeSensors.Node.Config;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Science;
using EdgeSensors.Node.Tests.Protocol;

namespace EdgeSensors.Node.Tests.Config;

public class ConfigDecoderTests
{
    public const string GoodDevice =
        "{\"v\":1,\"node\":\"hg-vithanh-012\",\"wifi\":{\"ssid\":\"UBND\",\"password\":\"secret-wifi\"},\"gateway\":{\"host\":\"10.0.0.2\",\"port\":1883,\"tls\":false},\"password\":\"long-enough-secret\",\"interval_s\":900,\"mode\":\"always_on\"}";

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Fact]
    public void By_default_a_node_speaks_TLS_on_the_gateways_TLS_port_and_a_node_json_without_the_CA_is_refused()
    {
        // One home for the connection defaults (issue 30): the firmware's NodeConfig, what the CLI writes and the gateway opens.
        var defaults = new NodeConfig();
        Assert.True(defaults.GatewayTls);
        Assert.Equal(EdgeSensors.Node.Protocol.MqttPorts.Tls, defaults.GatewayPort);

        const string noTls = "{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\"}";
        Assert.Null(ConfigDecoder.DecodeDevice(B(noTls), out string error));
        Assert.Contains("missing \"gateway.ca\"", error, StringComparison.Ordinal);
        Assert.Contains("\"gateway.tls\": false", error, StringComparison.Ordinal);

        NodeConfig? lab = ConfigDecoder.DecodeDevice(B(noTls.Replace("{\"host\":\"h\"}", "{\"host\":\"h\",\"port\":1883,\"tls\":false}", StringComparison.Ordinal)), out error);
        Assert.True(lab != null, error);
        Assert.False(lab.GatewayTls);
    }

    [Fact]
    public void A_good_node_json_decodes()
    {
        NodeConfig? c = ConfigDecoder.DecodeDevice(B(GoodDevice), out string error);
        Assert.True(c != null, error);
        Assert.Equal("hg-vithanh-012", c.NodeId);
        Assert.Equal("UBND", c.WifiSsid);
        Assert.Equal(900, c.IntervalSeconds);
        Assert.Equal(PowerMode.AlwaysOn, c.Mode);
        Assert.Equal(1883, c.GatewayPort);
    }

    [Fact]
    public void The_default_pressure_transfer_is_the_documented_transducer_through_its_divider_inside_the_ADCs_linear_range()
    {
        // hardware/node-esp32: 0–1 bar gauge transducer, 0.5–4.5 V out, 10 kΩ / 10 kΩ divider to the ADC pin.
        // Espressif's ADC at 11 dB attenuation is linear from about 0.15 V to 2.45 V.
        var c = new NodeConfig();
        static double PinVolts(double transducerVolts) => transducerVolts * 10.0 / (10.0 + 10.0);
        Assert.Equal(0.0, (PinVolts(0.5) - c.PressureZeroVolts) * c.PressureHpaPerVolt, 9);
        Assert.Equal(1000.0, (PinVolts(4.5) - c.PressureZeroVolts) * c.PressureHpaPerVolt, 9);
        Assert.InRange(PinVolts(0.5), 0.15, 2.45);
        Assert.InRange(PinVolts(4.5), 0.15, 2.45);
    }

    [Fact]
    public void Encoded_configs_decode_back_and_validate_against_their_schemas()
    {
        NodeConfig c = ConfigDecoder.DecodeDevice(B(GoodDevice), out _)!;
        c.EcGain = 1.0213;
        c.EcOffset = -0.0041;
        c.LevelSource = LevelSource.Ultrasonic;
        c.PressureReference = PressureReference.Absolute;
        c.Technician = "Nguyễn Văn An";
        string device = ConfigEncoder.EncodeDevice(c);
        string remote = ConfigEncoder.EncodeRemote(c);
        Assert.Empty(Schemas.Validate("node-config", device));
        Assert.Empty(Schemas.Validate("config", remote));

        NodeConfig? back = ConfigDecoder.DecodeDevice(B(device), out string error);
        Assert.True(back != null, error);
        Assert.Equal(1.0213, back.EcGain, 9);
        Assert.Equal(LevelSource.Ultrasonic, back.LevelSource);
        Assert.Equal(PressureReference.Absolute, back.PressureReference);
        Assert.Equal("Nguyễn Văn An", back.Technician);
        Assert.NotNull(ConfigDecoder.ApplyRemote(back, B(remote), out error));
    }

    [Theory]
    [InlineData("192.168.1.10:8883")]
    [InlineData("mqtts://192.168.1.10")]
    [InlineData("gateway .local")]
    [InlineData("-gw")]
    public void A_gateway_host_with_a_port_a_scheme_or_spaces_is_refused_naming_the_port_field(string host)
    {
        // Issue 30: `--gateway-host 192.168.1.10:8883` was written into node.json, a host the node can never reach.
        NodeConfig c = ConfigDecoder.DecodeDevice(B(GoodDevice), out _)!;
        c.GatewayHost = host;
        Assert.Null(ConfigDecoder.DecodeDevice(B(ConfigEncoder.EncodeDevice(c)), out string error));
        Assert.Contains("gateway.port", error, StringComparison.Ordinal);
        c.GatewayHost = "edgesensors-gw.local";
        Assert.NotNull(ConfigDecoder.DecodeDevice(B(ConfigEncoder.EncodeDevice(c)), out _));
    }

    [Fact]
    public void Every_level_source_round_trips_through_node_json_and_its_schema_names_exactly_these()
    {
        NodeConfig c = ConfigDecoder.DecodeDevice(B(GoodDevice), out _)!;
        foreach (LevelSource source in Enum.GetValues<LevelSource>())
        {
            c.LevelSource = source;
            string device = ConfigEncoder.EncodeDevice(c);
            Assert.Empty(Schemas.Validate("node-config", device));
            NodeConfig? back = ConfigDecoder.DecodeDevice(B(device), out string error);
            Assert.True(back != null, error);
            Assert.Equal(source, back.LevelSource);
        }

        Assert.Equal(Enum.GetValues<LevelSource>().Length, LevelSources.Names.Length);
        string wrong = ConfigEncoder.EncodeDevice(c).Replace("\"level_source\":\"maxsonar\"", "\"level_source\":\"sonar\"", StringComparison.Ordinal);
        Assert.Null(ConfigDecoder.DecodeDevice(B(wrong), out string why));
        Assert.Contains("\"maxsonar\"", why, StringComparison.Ordinal);
    }

    [Fact]
    public void The_gateways_CA_travels_in_node_json_and_anything_but_a_PEM_certificate_is_refused()
    {
        NodeConfig c = ConfigDecoder.DecodeDevice(B(GoodDevice), out _)!;
        c.GatewayTls = true;
        c.GatewayPort = 8883;
        c.GatewayCaPem = "-----BEGIN CERTIFICATE-----\nMIIBszCCAVmgAwIBAgIUQ2F0ZWdvcnkgdGVzdCBjZXJ0aWZpY2F0ZSBvbmx5MAoGCCqG\n-----END CERTIFICATE-----";
        string device = ConfigEncoder.EncodeDevice(c);
        Assert.Empty(Schemas.Validate("node-config", device));
        NodeConfig? back = ConfigDecoder.DecodeDevice(B(device), out string error);
        Assert.True(back != null, error);
        Assert.Equal(c.GatewayCaPem, back.GatewayCaPem);
        Assert.True(back.GatewayTls);

        string bad = device.Replace("-----BEGIN CERTIFICATE-----", "-----BEGIN PRIVATE KEY-----", StringComparison.Ordinal);
        Assert.Null(ConfigDecoder.DecodeDevice(B(bad), out error));
        Assert.Contains("gateway.ca", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("{\"v\":1,\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\"}", "missing required field \"node\"")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\",\"colour\":1}", "unknown field \"colour\"")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\",\"port\":\"1883\"},\"password\":\"long-enough-secret\"}", "\"gateway.port\" must be a whole number")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\",\"interval_s\":0}", "\"interval_s\" must be between 1 and 86400")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\",\"interval_s\":31536000}", "\"interval_s\" must be between 1 and 86400")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\",\"interval_s\":60.5}", "whole number")]
    [InlineData("{\"v\":1,\"node\":\"N!\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\"}", "lower-case")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\",\"password\":\"short\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\"}", "wifi.password")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"short\"}", "\"password\" must be 12")]
    [InlineData("{\"v\":2,\"node\":\"n\"}", "\"v\" must be 1")]
    [InlineData("{\"node\":\"n\"}", "missing required field \"v\"")]
    [InlineData("[1,2]", "must be a JSON object")]
    [InlineData("{\"v\":1,\"v\":1}", "duplicate key")]
    [InlineData("{\"v\":1,}", "not valid JSON")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\",\"calibration\":{\"ec_alpha\":0.5}}", "calibration.ec_alpha")]
    [InlineData("{\"v\":1,\"node\":\"n\",\"wifi\":{\"ssid\":\"x\"},\"gateway\":{\"host\":\"h\"},\"password\":\"long-enough-secret\",\"mode\":\"turbo\"}", "\"mode\" must be")]
    public void Bad_node_json_is_refused_with_the_reason(string json, string expected)
    {
        Assert.Null(ConfigDecoder.DecodeDevice(B(json), out string error));
        Assert.Contains(expected, error, StringComparison.Ordinal);
    }

    [Fact]
    public void Remote_config_cannot_change_identity_or_credentials_and_leaves_the_current_config_untouched()
    {
        NodeConfig current = ConfigDecoder.DecodeDevice(B(GoodDevice), out _)!;
        Assert.Null(ConfigDecoder.ApplyRemote(current, B("{\"v\":1,\"interval_s\":60,\"password\":\"hijacked-password\"}"), out string error));
        Assert.Contains("only be set in node.json", error, StringComparison.Ordinal);
        Assert.Equal(900, current.IntervalSeconds);

        NodeConfig? next = ConfigDecoder.ApplyRemote(current, B("{\"v\":1,\"rev\":2,\"interval_s\":60,\"calibration\":{\"ec_gain\":1.1}}"), out error);
        Assert.NotNull(next);
        Assert.Equal(60, next.IntervalSeconds);
        Assert.Equal(1.1, next.EcGain);
        Assert.Equal(900, current.IntervalSeconds);
        Assert.Equal(1.0, current.EcGain);
    }

    [Fact]
    public void Oversized_documents_are_refused()
    {
        string big = "{\"v\":1,\"calibration\":{\"technician\":\"" + new string('x', 5000) + "\"}}";
        Assert.Null(ConfigDecoder.ApplyRemote(new NodeConfig(), B(big), out string error));
        Assert.Contains("limit", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Config_parser_survives_random_garbage_fuzz()
    {
        // Fuzz: random bytes and mutations of a good document must never throw, only accept or refuse with a reason.
        var random = new Random(1234);
        byte[] good = B(GoodDevice);
        for (int i = 0; i < 20000; i++)
        {
            byte[] input;
            if (i % 2 == 0)
            {
                input = new byte[random.Next(0, 200)];
                random.NextBytes(input);
            }
            else
            {
                input = (byte[])good.Clone();
                int edits = random.Next(1, 6);
                for (int e = 0; e < edits; e++)
                {
                    input[random.Next(input.Length)] = (byte)"{}[]\":,0123456789.-eE truefalsn\\u"[random.Next(33)];
                }
            }

            NodeConfig? c = ConfigDecoder.DecodeDevice(input, out string error);
            Assert.True(c != null || error.Length > 0);
            if (c != null)
            {
                Assert.True(Topics.IsValidNodeId(c.NodeId));
                Assert.InRange(c.IntervalSeconds, ConfigRules.MinIntervalSeconds, ConfigRules.MaxIntervalSeconds);
            }
        }
    }
}
