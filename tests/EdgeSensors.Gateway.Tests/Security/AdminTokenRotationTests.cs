using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;

namespace EdgeSensors.Gateway.Tests.Security;

/// <summary>The bootstrap admin token can be rotated (issue 15, scope 5): the old one stops at once, the file holds the new one, 0600.</summary>
public sealed class AdminTokenRotationTests
{
    [Fact]
    public async Task Rotating_the_admin_token_ends_the_old_one_at_once_and_rewrites_the_token_file()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Admin:OperatorToken"] = string.Empty });
        await gateway.StartAsync();
        string file = Path.Combine(dir.Path, "operator.token");
        string old = (await File.ReadAllTextAsync(file)).Trim();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{gateway.HttpPort}") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", old);

        HttpResponseMessage rotated = await http.PostAsync("/api/operators/admin/rotate-token", null);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        string fresh = (await rotated.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString()!;
        Assert.NotEqual(old, fresh);
        Assert.Equal(fresh, (await File.ReadAllTextAsync(file)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));

        Assert.Equal(HttpStatusCode.Unauthorized, (await http.GetAsync("/api/nodes")).StatusCode);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", fresh);
        Assert.Equal(HttpStatusCode.OK, (await http.GetAsync("/api/nodes")).StatusCode);
        JsonElement audit = await http.GetFromJsonAsync<JsonElement>("/api/audit");
        Assert.Contains(audit.EnumerateArray(), e => e.GetProperty("action").GetString() == "admin_token_rotate");
        Assert.DoesNotContain(fresh, gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_configured_admin_token_is_not_rotated_behind_the_configurations_back()
    {
        using var dir = new TempDir();
        await using var gateway = new GatewayProcess(dir.Path);
        await gateway.StartAsync();
        HttpResponseMessage r = await gateway.Http.PostAsync("/api/operators/admin/rotate-token", null);
        Assert.Equal(HttpStatusCode.Conflict, r.StatusCode);
        Assert.Contains("configuration", await r.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}
