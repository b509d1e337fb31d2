using System.Globalization;
using System.Text;
using System.Text.Json;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Node.Tests.Protocol;

public class EncoderTests
{
    private static Reading FullReading() => new()
    {
        SalinityPpt = 12.3456,
        EcMsCm = 19.87654,
        WaterTempC = 31.26,
        LevelM = -1.2345,
        AirPressureHpa = 1008.24,
        AirTempC = 34.56,
        HumidityPct = 99.94,
    };

    [Fact]
    public void A_one_sample_payload_with_all_seven_fields_is_at_most_300_bytes_even_with_the_longest_ids()
    {
        // Worst case: 32-character node id, 10-digit boot and seq, negative level, battery and RSSI present.
        var sample = new Sample(4294967295, 4294967295, 4102444800, true, FullReading());
        byte[] payload = TelemetryEncoder.Encode(new string('n', 32), [sample], 4.2, -100, Topics.MaxPayloadBytes, out int included);
        Assert.Equal(1, included);
        Assert.True(payload.Length <= 300, $"{payload.Length} bytes: {Encoding.UTF8.GetString(payload)}");
        Assert.Empty(Schemas.Validate("telemetry", Encoding.UTF8.GetString(payload)));
    }

    [Fact]
    public void Numbers_are_written_with_fixed_decimals_and_a_dot_whatever_the_culture()
    {
        CultureInfo saved = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("vi-VN");
            string json = TelemetryEncoder.EncodeSample(new Sample(1, 1, 0, false, FullReading()));
            Assert.Equal(
                "{\"seq\":1,\"ts\":0,\"sync\":false,\"r\":{\"salinity_ppt\":12.35,\"ec_ms_cm\":19.877,\"water_temp_c\":31.3,\"level_m\":-1.235,\"air_pressure_hpa\":1008.2,\"air_temp_c\":34.6,\"humidity_pct\":100}}",
                json);
        }
        finally
        {
            CultureInfo.CurrentCulture = saved;
        }
    }

    [Theory]
    [InlineData(3.3, 2, "3.30")]
    [InlineData(-0.0001, 2, "0.00")]
    [InlineData(-2.345, 2, "-2.35")]
    [InlineData(1008.25, 1, "1008.3")]
    [InlineData(0.0, 0, "0")]
    [InlineData(12345678.9, 3, "12345678.900")]
    public void Fixed_formatting_is_explicit(double value, int decimals, string expected)
    {
        Assert.Equal(expected, JsonWriter.FormatFixed(value, decimals));
    }

    [Fact]
    public void Absent_fields_are_left_out_never_written_as_zero_or_null()
    {
        var r = new Reading { WaterTempC = 27.9 };
        string json = TelemetryEncoder.EncodeSample(new Sample(1, 2, 3, true, r));
        Assert.Equal("{\"seq\":2,\"ts\":3,\"sync\":true,\"r\":{\"water_temp_c\":27.9}}", json);
    }

    [Fact]
    public void A_backlog_is_split_into_payloads_of_at_most_8_KiB_in_order()
    {
        Sample[] backlog = Enumerable.Range(1, 200).Select(i => new Sample(9, (uint)i, 1764028800 + i, true, FullReading())).ToArray();
        var seqs = new List<uint>();
        int offset = 0;
        while (offset < backlog.Length)
        {
            byte[] payload = TelemetryEncoder.Encode("hg-vithanh-012", backlog[offset..], 3.9, -67, Topics.MaxPayloadBytes, out int included);
            Assert.True(payload.Length <= Topics.MaxPayloadBytes);
            Assert.True(included > 1);
            using JsonDocument doc = JsonDocument.Parse(payload);
            seqs.AddRange(doc.RootElement.GetProperty("samples").EnumerateArray().Select(s => s.GetProperty("seq").GetUInt32()));
            Assert.Empty(Schemas.Validate("telemetry", Encoding.UTF8.GetString(payload)));
            offset += included;
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (uint)i), seqs);
    }

    [Fact]
    public void Status_and_last_will_validate_against_the_status_schema()
    {
        var status = new NodeStatus
        {
            Node = "hg-vithanh-012",
            Firmware = "1.0.0",
            Boot = 77,
            ResetReason = "brownout",
            BatteryVolts = 3.71,
            RssiDbm = -70,
            FreeMemoryBytes = 50000,
            OutboxDepth = 4,
            OutboxDropped = 2,
            Faults = ["ec_ms_cm:open_probe"],
            ConfigError = "unknown field \"intervl_s\"",
            ConfigRevision = 3,
            ClockSynchronized = true,
            IntervalSeconds = 900,
            Mode = "deep_sleep",
        };
        Assert.Empty(Schemas.Validate("status", Encoding.UTF8.GetString(StatusEncoder.Online(status))));
        Assert.Empty(Schemas.Validate("status", Encoding.UTF8.GetString(StatusEncoder.Offline("hg-vithanh-012", 77))));
    }

    [Theory]
    [InlineData("Nguyễn Văn An")]
    [InlineData("Kênh \"Xà No\"\n\t\\")]
    [InlineData("emoji 🌾 and ‰")]
    public void Utf8_round_trips_and_JSON_strings_are_escaped(string text)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(text), Utf8.Encode(text));
        Assert.Equal(text, Utf8.Decode(Utf8.Encode(text), 0, Utf8.Encode(text).Length));
        string json = new JsonWriter().BeginObject().Name("t").String(text).EndObject().ToString();
        Assert.Equal(text, JsonDocument.Parse(json).RootElement.GetProperty("t").GetString());
    }

    [Theory]
    [InlineData(new byte[] { 0xC0, 0x80 })]
    [InlineData(new byte[] { 0xE2, 0x80 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    [InlineData(new byte[] { 0xFF })]
    public void Malformed_UTF8_is_refused(byte[] bytes)
    {
        Assert.Null(Utf8.Decode(bytes, 0, bytes.Length));
    }

    [Theory]
    [InlineData("hg-vithanh-012", true)]
    [InlineData("a", true)]
    [InlineData("", false)]
    [InlineData("-a", false)]
    [InlineData("Upper", false)]
    [InlineData("a/b", false)]
    [InlineData("a+", false)]
    [InlineData("abcdefghijabcdefghijabcdefghij123", false)]
    public void Node_ids_follow_the_protocol(string id, bool valid) => Assert.Equal(valid, Topics.IsValidNodeId(id));
}
