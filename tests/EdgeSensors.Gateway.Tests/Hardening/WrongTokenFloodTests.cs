using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Hardening;

/// <summary>
/// Issue 29: about 700 wrong-token requests a second filled a 3 MB store with audit rows in 40 s, and the store's
/// size policy then dropped every unforwarded reading. Now the address is banned after a few wrong tokens, and a
/// banned address's wrong tokens are answered without a write.
/// </summary>
public sealed class WrongTokenFloodTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_flood_of_100000_wrong_tokens_costs_no_reading_and_ends_in_a_ban()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Store:MaxBytes"] = "3000000" });
        await gateway.StartAsync();
        string secret = await gateway.RegisterNodeAsync("hg-flood-1");
        await using var node = new TestNode("hg-flood-1", secret);
        Assert.True((await node.ConnectAsync(gateway.MqttPort)).Ok);
        for (int i = 0; i < 50; i++)
        {
            Assert.True((await node.PublishAsync(node.NextSample())).IsSuccess);
        }

        using var attacker = new HttpClient { BaseAddress = gateway.Http.BaseAddress };
        attacker.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-the-token");
        var statuses = new System.Collections.Concurrent.ConcurrentDictionary<HttpStatusCode, int>();
        int next = -1;
        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(async () =>
        {
            while (Interlocked.Increment(ref next) < 100_000)
            {
                using HttpResponseMessage r = await attacker.GetAsync("/api/nodes");
                statuses.AddOrUpdate(r.StatusCode, 1, (_, n) => n + 1);
            }
        })));
        output.WriteLine(string.Join(", ", statuses.Select(kv => $"{(int)kv.Key}: {kv.Value}")));

        // Banned after the first few: almost every answer is 429, and none let the attacker in.
        Assert.Equal(100_000, statuses.Values.Sum());
        Assert.True(statuses.GetValueOrDefault(HttpStatusCode.TooManyRequests) > 99_000, "the flood was not banned");
        Assert.False(statuses.ContainsKey(HttpStatusCode.OK));

        // The operator (right token, same address) still gets in; every reading is still there; the audit holds a
        // handful of rows for the flood, not 100,000.
        JsonElement detail = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/nodes/hg-flood-1?last=1000");
        Assert.Equal(50, detail.GetProperty("last_readings").GetArrayLength());
        JsonElement audit = await gateway.Http.GetFromJsonAsync<JsonElement>("/api/audit?limit=1000");
        int failed = audit.EnumerateArray().Count(a => a.GetProperty("action").GetString() == "login_failed");
        Assert.InRange(failed, 1, 40);
        Assert.Contains(audit.EnumerateArray(), a => a.GetProperty("action").GetString() == "login_banned");
        Assert.Equal(0, await gateway.MetricAsync("edgesensors_readings_dropped_total"));
    }
}
