using System.Text;
using CsCheck;
using EdgeSensors.Ioc.Ingest.Decoding;

namespace EdgeSensors.Ioc.Ingest.Tests;

/// <summary>The ingest's reading of gateway messages (docs/protocol.md): good ones decoded once, bad ones parked with a reason.</summary>
public sealed class DecoderTests
{
    private const string Readings = """
        {"v":1,"site":"hg-vithanh","node":"hg-vithanh-001","loc":{"lat":9.78,"lon":105.47},"readings":[
          {"boot":3,"seq":41,"ts":1767225600,"rx":1767225601,"sync":true,"q":"good","r":{"salinity_ppt":1.82,"water_temp_c":29.4}},
          {"boot":3,"seq":42,"ts":1767225660,"rx":1767225661,"sync":true,"q":"ts_implausible","node_ts":99,"r":{"salinity_ppt":1.9}}]}
        """;

    private readonly IocMessageDecoder _decoder = new(1024 * 1024);

    [Fact]
    public void Forwarded_marks_are_read_for_the_channels_site_and_a_mark_for_another_site_or_out_of_schema_is_parked()
    {
        DecodedMessage m = _decoder.Decode("ioc/hg/marks", Encoding.UTF8.GetBytes("""{"v":1,"site":"hg","ts":1767225600,"marks":[{"node":"n-1","boot":2,"seq":120},{"node":"n-2","boot":1,"seq":7}]}"""));
        Assert.Null(m.Parked);
        Assert.Equal([new MarkRow("hg", "n-1", 2, 120, 1767225600), new MarkRow("hg", "n-2", 1, 7, 1767225600)], m.Marks);

        DecodedMessage foreign = _decoder.Decode("ioc/hg/marks", Encoding.UTF8.GetBytes("""{"v":1,"site":"hg-b","ts":1767225600,"marks":[{"node":"n-1","boot":2,"seq":120}]}"""));
        Assert.StartsWith("authority:", foreign.Parked!.Reason, StringComparison.Ordinal);
        Assert.Null(foreign.Marks);
        foreach (string bad in new[]
        {
            """{"v":1,"site":"hg","ts":1767225600,"marks":[]}""",
            """{"v":1,"site":"hg","ts":1767225600,"marks":[{"node":"N 1","boot":2,"seq":120}]}""",
            """{"v":1,"site":"hg","ts":1767225600,"marks":[{"node":"n-1","boot":2,"seq":0}]}""",
            """{"v":1,"site":"hg","ts":1767225600,"marks":[{"node":"n-1","boot":2,"seq":1,"extra":1}]}""",
        })
        {
            Assert.StartsWith("schema:", _decoder.Decode("ioc/hg/marks", Encoding.UTF8.GetBytes(bad)).Parked!.Reason, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void A_readings_message_is_decoded_with_each_reading_id_and_fields()
    {
        DecodedMessage m = _decoder.Decode("ioc/hg-vithanh/hg-vithanh-001/telemetry", Encoding.UTF8.GetBytes(Readings));
        Assert.Null(m.Parked);
        Assert.Equal(2, m.Readings.Count);
        Assert.Equal(("hg-vithanh", "hg-vithanh-001", 3L, 41L), (m.Readings[0].Site, m.Readings[0].Node, m.Readings[0].Boot, m.Readings[0].Seq));
        Assert.Equal(99L, m.Readings[1].NodeTs);
        Assert.Contains("\"salinity_ppt\":1.82", m.Readings[0].Fields, StringComparison.Ordinal);
    }

    [Fact]
    public void Gap_and_alert_records_are_decoded_by_their_topic()
    {
        DecodedMessage gap = _decoder.Decode("ioc/hg/gaps", Encoding.UTF8.GetBytes("""{"v":1,"site":"hg","node":"n-1","boot":2,"seq_from":10,"seq_to":19,"count":10,"reason":"store_full","ts":1767225600}"""));
        Assert.Equal(new GapRow("hg", "n-1", 2, 10, 19, 10, "store_full", 1767225600), gap.Gap);
        DecodedMessage alert = _decoder.Decode("ioc/hg/alerts", Encoding.UTF8.GetBytes("""{"v":1,"site":"hg","id":"a-1","node":"n-1","kind":"salinity","level":"danger","state":"raised","ts":1767225600,"msg_vi":"x","msg_en":"y"}"""));
        Assert.Equal("danger", alert.Alert!.Level);
    }

    [Theory]
    [InlineData("{not json", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"site":"hg","node":"n","readings":[]}""", "no schema version")]
    [InlineData("""{"v":2,"site":"hg","node":"n","readings":[]}""", "unknown schema version 2")]
    [InlineData("""{"v":1,"site":"hg","node":"n","readings":[]}""", "schema: /readings: Value should have at least 1 items")]
    [InlineData("""{"v":1,"site":"hg","node":"N!","readings":[{"boot":1,"seq":1,"ts":1,"rx":1,"sync":true,"q":"good","r":{}}]}""", "authority: the body says node \"N!\"")]
    [InlineData("""{"v":1,"site":"hg","node":"n","readings":[{"boot":0,"seq":1,"ts":1,"rx":1,"sync":true,"q":"good","r":{}}]}""", "schema: /readings/0/boot: 0 should be at least 1")]
    [InlineData("""{"v":1,"site":"hg","node":"n","readings":[{"boot":1,"seq":1,"ts":1,"rx":1,"sync":true,"q":"good"}]}""", "schema: /readings/0: Required properties [\"r\"] are not present")]
    public void A_bad_message_is_parked_with_its_reason(string body, string reason)
    {
        DecodedMessage m = _decoder.Decode("ioc/hg/n/telemetry", Encoding.UTF8.GetBytes(body));
        Assert.NotNull(m.Parked);
        Assert.Contains(reason, m.Parked!.Reason, StringComparison.Ordinal);
        Assert.Empty(m.Readings);
    }

    /// <summary>What a gateway with its own credentials tried (issue 32): each is parked with its reason, nothing decoded.</summary>
    [Theory]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-b","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":1}}]}""", "authority: the body says site \"hg-b\" but it came on site hg-a's channel")]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-a","node":"n-2","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":1}}]}""", "authority: the body says node \"n-2\" but it came on node n-1's topic")]
    [InlineData("ioc/hg-a/gaps", """{"v":1,"site":"hg-b","node":"n-1","boot":2,"seq_from":10,"seq_to":2008,"count":1999,"reason":"store_full","ts":1767225600}""", "authority: the body says site \"hg-b\"")]
    [InlineData("ioc/HG B!<x>/n-1/telemetry", """{"v":1,"site":"HG B!<x>","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":1}}]}""", "schema: /site:")]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"bogus","r":{"salinity_ppt":1}}]}""", "schema: /readings/0/q:")]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"<script>":1}}]}""", "schema: /readings/0/r/<script>:")]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":999}}]}""", "schema: /readings/0/r/salinity_ppt: 999 should be at most 50")]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":32503679999,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":1}}]}""", "time: reading 1:1 ts 2999-12-31")]
    [InlineData("ioc/hg-a/n-1/telemetry", """{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":1,"salinity_ppt":0.1}}]}""", "not JSON: Duplicate property")]
    [InlineData("ioc/hg-a/alerts", """{"v":1,"site":"hg-a","id":"a-1","node":"n-1","kind":"made_up","level":"danger","state":"raised","ts":1767225600,"msg_vi":"x","msg_en":"y"}""", "schema: /kind:")]
    public void A_message_that_oversteps_its_channel_or_the_published_schema_is_parked(string topic, string body, string reason)
    {
        DecodedMessage m = _decoder.Decode(topic, Encoding.UTF8.GetBytes(body));
        Assert.NotNull(m.Parked);
        Assert.Contains(reason, m.Parked!.Reason, StringComparison.Ordinal);
        Assert.Empty(m.Readings);
        Assert.Null(m.Gap);
        Assert.Null(m.Alert);
    }

    [Fact]
    public void A_900_KB_blob_in_the_fields_is_parked_by_the_schema_under_the_size_limit()
    {
        string blob = new('x', 900 * 1024);
        string body = $$$"""{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":1767225600,"rx":1767225600,"sync":true,"q":"good","r":{"salinity_ppt":1,"note":"{{{blob}}}"}}]}""";
        DecodedMessage m = _decoder.Decode("ioc/hg-a/n-1/telemetry", Encoding.UTF8.GetBytes(body));
        Assert.StartsWith("schema: /readings/0/r", m.Parked!.Reason, StringComparison.Ordinal);
        Assert.True(m.Parked.Reason.Length <= 310);
    }

    [Fact]
    public void Times_are_judged_on_the_ingests_clock_a_year_back_and_an_hour_ahead()
    {
        var clock = new FixedClock(DateTimeOffset.FromUnixTimeSeconds(1767225600));
        var decoder = new IocMessageDecoder(1024 * 1024, TimeSpan.FromDays(400), TimeSpan.FromHours(1), clock);
        string At(long ts) => $$$"""{"v":1,"site":"hg-a","node":"n-1","readings":[{"boot":1,"seq":1,"ts":{{{ts}}},"rx":{{{ts}}},"sync":true,"q":"good","r":{"salinity_ppt":1}}]}""";
        Assert.Null(decoder.Decode("ioc/hg-a/n-1/telemetry", Encoding.UTF8.GetBytes(At(1767225600 + 3000))).Parked);
        Assert.Null(decoder.Decode("ioc/hg-a/n-1/telemetry", Encoding.UTF8.GetBytes(At(1767225600 - (399 * 86400)))).Parked);
        Assert.NotNull(decoder.Decode("ioc/hg-a/n-1/telemetry", Encoding.UTF8.GetBytes(At(1767225600 + 7200))).Parked);
        Assert.NotNull(decoder.Decode("ioc/hg-a/n-1/telemetry", Encoding.UTF8.GetBytes(At(1767225600 - (401 * 86400)))).Parked);
    }

    [Fact]
    public void An_oversize_message_is_parked_without_being_parsed_and_only_its_head_is_kept()
    {
        var small = new IocMessageDecoder(4096);
        DecodedMessage m = small.Decode("ioc/hg/n/telemetry", new byte[200_000]);
        Assert.StartsWith("oversize: 200000 bytes", m.Parked!.Reason, StringComparison.Ordinal);
        Assert.Equal(200_000, m.Parked.Size);
        Assert.Equal(IocMessageDecoder.KeepBytes, m.Parked.Body.Length);
    }

    [Fact]
    public void Random_and_mutated_messages_never_throw_they_are_decoded_or_parked()
    {
        byte[] valid = Encoding.UTF8.GetBytes(Readings);
        Gen<byte[]> mutated = Gen.Int[0, valid.Length - 1].Array[1, 8].Select(Gen.Byte.Array[1, 8], (positions, bytes) =>
        {
            byte[] copy = (byte[])valid.Clone();
            for (int i = 0; i < positions.Length; i++)
            {
                copy[positions[i]] = bytes[i % bytes.Length];
            }

            return copy;
        });
        Gen.OneOf(Gen.Byte.Array[0, 512], mutated).Sample(body =>
        {
            DecodedMessage m = _decoder.Decode("ioc/hg/n/telemetry", body);
            return (m.Parked != null) ^ (m.Readings.Count > 0);
        }, iter: 20_000);
    }

    private sealed class FixedClock(DateTimeOffset now) : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => now;
    }
}
