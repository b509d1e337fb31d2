using System.Text.Json;
using EdgeSensors.Gateway.Options;
using EdgeSensors.Gateway.Store;
using EdgeSensors.Gateway.Uplink;

namespace EdgeSensors.Gateway.Tests.Uplink;

/// <summary>Issue 16, scope 5: an alert queued before a site rename leaves under the new site id, with the node's location.</summary>
public sealed class RestampTests
{
    [Fact]
    public void A_queued_alert_leaves_with_the_site_of_now_and_the_nodes_place()
    {
        var before = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-old-site" }));
        var alert = new EdgeSensors.Gateway.Alerts.AlertRecord(42, "hg-x-1", "salinity", "danger", "raised", "rice_tillering", 1.6, 1.5, 1764028800, 1764028800, null, null, null, "NGUY HIỂM", "DANGER");
        string queued = before.Alert(alert, "raised");
        Assert.Contains("\"hg-old-site\"", queued, StringComparison.Ordinal);

        var now = new IocMessageEncoder(Microsoft.Extensions.Options.Options.Create(new GatewayOptions { Site = "hg-new-site" }));
        var registration = new NodeRecord("hg-x-1", 9.78, 105.47, "Kênh Xáng Xà No", null, 0, null, 0);
        using JsonDocument sent = JsonDocument.Parse(now.Restamp(queued, registration, withLocation: true));
        Assert.Equal("hg-new-site", sent.RootElement.GetProperty("site").GetString());
        Assert.Equal("Kênh Xáng Xà No", sent.RootElement.GetProperty("loc").GetProperty("name").GetString());
        Assert.Equal("NGUY HIỂM", sent.RootElement.GetProperty("msg_vi").GetString());
        // "loc" follows "node", as documented.
        Assert.Equal(["v", "site", "id", "node", "loc"], sent.RootElement.EnumerateObject().Take(5).Select(p => p.Name).ToArray());
    }
}
