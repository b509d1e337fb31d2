using System.Text.Json;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>
/// Issue 16, scope 5: an alert queued before a site rename leaves under the new site id, with the node's location.
/// Issue 29: the lane keeps typed records and only the uplink's encoder writes the wire format; rows an older gateway
/// queued as wire JSON are still re-stamped.
/// </summary>
public sealed class RestampTests
{
    private static readonly NodeRecord Registration = new("hg-x-1", 9.78, 105.47, "Kênh Xáng Xà No", null, 0, null, 0);

    [Fact]
    public void A_queued_alert_leaves_with_the_site_of_now_and_the_nodes_place()
    {
        var alert = new EdgeSensors.Gateway.Alerts.AlertRecord(42, "hg-x-1", "salinity", "danger", "raised", "rice_tillering", 1.6, 1.5, 1764028800, 1764028800, null, null, null, "NGUY HIỂM", "DANGER");
        string stored = AlertStep.From(alert, "raised").ToStored();
        Assert.DoesNotContain("site", stored, StringComparison.Ordinal); // the site is not frozen into the queue
        var message = new OutboundMessage(1, OutboundKind.Alert, "hg-x-1", stored);

        var now = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-new-site" }));
        using JsonDocument sent = JsonDocument.Parse(now.Encode(message.Record!, Registration));
        Assert.Equal("hg-new-site", sent.RootElement.GetProperty("site").GetString());
        Assert.Equal("hg-new-site-000042", sent.RootElement.GetProperty("id").GetString());
        Assert.Equal("Kênh Xáng Xà No", sent.RootElement.GetProperty("loc").GetProperty("name").GetString());
        Assert.Equal("NGUY HIỂM", sent.RootElement.GetProperty("msg_vi").GetString());
        Assert.Equal("ppt", sent.RootElement.GetProperty("unit").GetString());
        // "loc" follows "node", as documented.
        Assert.Equal(["v", "site", "id", "node", "loc", "kind"], sent.RootElement.EnumerateObject().Take(6).Select(p => p.Name).ToArray());
    }

    [Fact]
    public void A_gap_record_leaves_in_the_documented_form()
    {
        var now = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-site" }));
        OutboundRecord gap = OutboundRecord.FromStored(new GapRecord("hg-x-1", 3, 10, 19, 10, "store_full", 1764028800).ToStored())!;
        using JsonDocument sent = JsonDocument.Parse(now.Encode(gap, Registration));
        Assert.Equal(["v", "site", "node", "boot", "seq_from", "seq_to", "count", "reason", "ts"], sent.RootElement.EnumerateObject().Select(p => p.Name).ToArray());
        Assert.Equal(10, sent.RootElement.GetProperty("count").GetInt32());
    }

    [Fact]
    public void A_row_an_older_gateway_queued_as_wire_JSON_is_still_restamped()
    {
        const string legacy = """{"v":1,"site":"hg-old-site","id":"hg-old-site-000042","node":"hg-x-1","kind":"salinity","level":"danger","state":"raised","value":1.6,"threshold":1.5,"unit":"ppt","ts":1764028800,"msg_vi":"NGUY HIỂM","msg_en":"DANGER"}""";
        var message = new OutboundMessage(1, OutboundKind.Alert, "hg-x-1", legacy);
        Assert.Null(message.Record);
        var now = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-new-site" }));
        using JsonDocument sent = JsonDocument.Parse(now.Restamp(legacy, Registration, withLocation: true));
        Assert.Equal("hg-new-site", sent.RootElement.GetProperty("site").GetString());
        Assert.Equal(["v", "site", "id", "node", "loc"], sent.RootElement.EnumerateObject().Take(5).Select(p => p.Name).ToArray());
    }
}
