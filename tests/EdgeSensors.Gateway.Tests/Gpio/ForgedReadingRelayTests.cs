using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Samples;

namespace EdgeSensors.Gateway.Tests.Gpio;

/// <summary>
/// Issue 19, as the attacker on the commune Wi-Fi with a node's password: one publish of back-dated samples must not
/// move the relay either way; a genuine change held over the configured time on the gateway's clock does. Real
/// gateway process, simulated GPIO read back through the public API.
/// </summary>
public sealed class ForgedReadingRelayTests
{
    private const int ConfirmSeconds = 3;

    [Fact]
    public async Task A_forged_back_dated_series_cannot_switch_the_relay_and_a_genuine_rise_over_the_duration_does()
    {
        await using ChainRig rig = await ChainRig.StartAsync(new Dictionary<string, string>
        {
            ["Gpio:RelayEnabled"] = "true",
            ["Gpio:RelayConfirmSeconds"] = ConfirmSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        await using TestNode node = await rig.ConnectNodeAsync("hg-intake-1");
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        Assert.False(await RelayAsync(rig.Gateway)); // nothing confirmed yet: no water

        // Genuine fresh water, two messages over the confirmation time: water permitted.
        Assert.True((await node.PublishAsync(node.SampleAt(0.3, now))).IsSuccess);
        await Task.Delay(TimeSpan.FromSeconds(ConfirmSeconds + 0.5));
        Assert.True((await node.PublishAsync(node.SampleAt(0.3, now + ConfirmSeconds + 1))).IsSuccess);
        Assert.True(await WaitRelayAsync(rig.Gateway, true));

        // Forged: one message with an hour of back-dated 9 ‰ samples, as sniffed credentials allow.
        Sample[] forged = Enumerable.Range(0, 12).Select(i => node.SampleAt(9.0, now - 3600 + (i * 300))).ToArray();
        Assert.True((await node.PublishAsync(forged)).IsSuccess);
        await Task.Delay(1500);
        Assert.True(await RelayAsync(rig.Gateway)); // the water stays as it was

        // The alert was raised (the page warns), but the relay did not follow a single message.
        JsonElement alerts = await rig.Gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/alerts?active=true");
        Assert.Contains(alerts.EnumerateArray(), a => a.GetProperty("kind").GetString() == "salinity");

        // A genuine rise: salty readings in separate messages across the confirmation time cut the water.
        Assert.True((await node.PublishAsync(node.SampleAt(1.6, now + 10))).IsSuccess);
        Assert.True(await RelayAsync(rig.Gateway));
        await Task.Delay(TimeSpan.FromSeconds(ConfirmSeconds + 0.5));
        Assert.True((await node.PublishAsync(node.SampleAt(1.7, now + 20))).IsSuccess);
        Assert.False(await WaitRelayAsync(rig.Gateway, false));

        // And a forged burst of fresh samples does not open it again.
        Sample[] fresh = Enumerable.Range(0, 12).Select(i => node.SampleAt(0.2, now + 30 + i)).ToArray();
        Assert.True((await node.PublishAsync(fresh)).IsSuccess);
        await Task.Delay(1500);
        Assert.False(await RelayAsync(rig.Gateway));
    }

    private static async Task<bool> RelayAsync(GatewayProcess gateway)
    {
        JsonElement gpio = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/public/gpio");
        return gpio.GetProperty("state").GetProperty("relay").GetBoolean();
    }

    private static async Task<bool> WaitRelayAsync(GatewayProcess gateway, bool wanted)
    {
        DateTime until = DateTime.UtcNow.AddSeconds(10);
        bool state;
        while ((state = await RelayAsync(gateway)) != wanted && DateTime.UtcNow < until)
        {
            await Task.Delay(100);
        }

        return state;
    }
}
