using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>Issue 15, scope 4: a password guesser is banned (even its right guess is refused), a good node behind the same address keeps publishing, the ban is visible and an operator can lift it.</summary>
public sealed class BanTests
{
    [Fact]
    public async Task A_password_guesser_is_banned_while_a_good_node_on_the_same_address_keeps_publishing()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string victimSecret = await gateway.RegisterNodeAsync("hg-victim-1");
        string goodSecret = await gateway.RegisterNodeAsync("hg-good-1");

        await using var good = new TestNode("hg-good-1", goodSecret);
        Assert.True((await good.ConnectAsync(gateway.MqttPort)).Ok);

        for (int i = 0; i < 5; i++)
        {
            await using var guess = new TestNode("hg-victim-1", "guess-" + i);
            Assert.False((await guess.ConnectAsync(gateway.MqttPort)).Ok);
        }

        // Banned now: even the right password is refused, before it is checked.
        await using var lucky = new TestNode("hg-victim-1", victimSecret);
        (bool ok, string reason) = await lucky.ConnectAsync(gateway.MqttPort);
        Assert.False(ok);
        Assert.Contains("Banned", reason, StringComparison.OrdinalIgnoreCase);

        // The good node behind the same address (127.0.0.1) keeps publishing, and can reconnect.
        Assert.True((await good.PublishAsync(good.NextSample())).IsSuccess);
        await using var good2 = new TestNode("hg-good-1", goodSecret);
        Assert.True((await good2.ConnectAsync(gateway.MqttPort)).Ok);

        Assert.True(await gateway.MetricAsync("edgesensors_bans_total") >= 1);
        Assert.True(await gateway.MetricAsync("edgesensors_refused_total", "reason=\"banned\"") >= 1);
        JsonElement bans = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/bans");
        string key = bans.EnumerateArray().Select(b => b.GetProperty("key").GetString()!).Single(k => k.Contains("hg-victim-1", StringComparison.Ordinal));
        Assert.Equal(1, (await gateway.HealthAsync()).GetProperty("broker").GetProperty("bans").GetInt32());

        // Lifted by an operator (audited): the right password works again.
        Assert.Equal(HttpStatusCode.NoContent, (await gateway.Http.DeleteAsync($"/api/bans/{Uri.EscapeDataString(key)}")).StatusCode);
        await using var after = new TestNode("hg-victim-1", victimSecret);
        Assert.True((await after.ConnectAsync(gateway.MqttPort)).Ok);
        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "ban_lift");
    }

    [Fact]
    public async Task Rotating_the_client_id_does_not_evade_the_ban_and_every_credential_failure_gets_the_same_CONNACK_code()
    {
        // Issue 29: bans were keyed on the client id, which a guesser chooses; and a client id that did not match
        // the username was refused with its own code, after the password check — telling a right password apart.
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-victim-2");

        var reasons = new List<string>();
        await using (var stranger = new TestNode("hg-nobody-2", "x"))
        {
            reasons.Add((await stranger.ConnectAsync(gateway.MqttPort)).Reason);
        }

        await using (var right = new TestNode("hg-victim-2", secret))
        {
            reasons.Add((await right.ConnectAsync(gateway.MqttPort, clientId: "not-the-node")).Reason);
        }

        for (int i = 0; i < 4; i++)
        {
            await using var guess = new TestNode("hg-victim-2", "guess-" + i);
            (bool ok, string reason) = await guess.ConnectAsync(gateway.MqttPort, clientId: "rotating-" + i);
            Assert.False(ok);
            reasons.Add(reason);
        }

        Assert.Single(reasons.Distinct(StringComparer.Ordinal));
        Assert.Contains("BadUserNameOrPassword", reasons[0], StringComparison.Ordinal);

        // Five failures for this username from this address, under five client ids: banned, even with the right password.
        await using var lucky = new TestNode("hg-victim-2", secret);
        (bool luckyOk, string luckyReason) = await lucky.ConnectAsync(gateway.MqttPort);
        Assert.False(luckyOk);
        Assert.Contains("Banned", luckyReason, StringComparison.OrdinalIgnoreCase);
    }
}
