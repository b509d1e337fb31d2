using EdgeSensors.Cli.Commands;
using System.Text;
using System.Text.Json;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Node.Config;

namespace EdgeSensors.Cli.Tests;

public sealed class NodeProvisioningTests : IAsyncLifetime
{
    private readonly TempDir _dir = new();
    private GatewayProcess _gateway = null!;

    private string[] Api => ["--gateway-url", _gateway.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken];

    public async Task InitializeAsync()
    {
        _gateway = new GatewayProcess(_dir.Path);
        await _gateway.StartAsync();
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        _dir.Dispose();
    }

    [Fact]
    public async Task Node_add_then_node_config_make_a_node_json_the_firmware_accepts_and_the_node_connects_with()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["node", "add", "hg-vithanh-012", "--lat", "9.7845", "--lon", "105.4701", "--place", "Kênh Xáng Xà No", "--json", .. Api]);
        Assert.True(code == 0, stderr);
        string secret = JsonDocument.Parse(stdout).RootElement.GetProperty("secret").GetString()!;

        string file = Path.Combine(_dir.Path, "nodes", "hg-vithanh-012", "node.json");
        // Secrets from a file, not the command line; TLS by default, trusting the CA the gateway made itself.
        string secretFile = Path.Combine(_dir.Path, "hg-vithanh-012.secret");
        await File.WriteAllTextAsync(secretFile, secret);
        (code, stdout, stderr) = await CliProcess.RunAsync(["node", "config", "hg-vithanh-012", "--secret-file", secretFile, "--wifi-ssid", "UBND-ViThanh", "--wifi-password", "mat-khau-wifi",
            "--gateway-host", "127.0.0.1", "--gateway-port", _gateway.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--ca", _gateway.CaPath,
            "--interval", "600", "--mode", "always_on", "--out", file, .. Api]);
        Assert.True(code == 0, stderr);
        NodeConfig? decoded = ConfigDecoder.DecodeDevice(await File.ReadAllBytesAsync(file), out string error);
        Assert.True(decoded != null, error);
        Assert.Equal(("hg-vithanh-012", 600, PowerMode.AlwaysOn, "UBND-ViThanh"), (decoded.NodeId, decoded.IntervalSeconds, decoded.Mode, decoded.WifiSsid));
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
        Assert.Equal((0.25, 500.0), (decoded.PressureZeroVolts, decoded.PressureHpaPerVolt));
        Assert.True(decoded.GatewayTls);
        Assert.Equal((await File.ReadAllTextAsync(_gateway.CaPath)).Trim(), decoded.GatewayCaPem);

        // The node connects over TLS, trusting exactly the CA in its node.json.
        string caFromNode = Path.Combine(_dir.Path, "ca-from-node.pem");
        await File.WriteAllTextAsync(caFromNode, decoded.GatewayCaPem);
        await using var node = new TestNode(decoded.NodeId, decoded.Password);
        (bool ok, string reason) = await node.ConnectAsync(decoded.GatewayPort, trustedCaPem: caFromNode);
        Assert.True(ok, reason);

        (code, stdout, _) = await CliProcess.RunAsync(["node", "list", "--json", .. Api]);
        Assert.Equal(0, code);
        Assert.Equal("Kênh Xáng Xà No", JsonDocument.Parse(stdout).RootElement[0].GetProperty("place").GetString());
        Assert.DoesNotContain(secret, _gateway.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_config_checks_the_id_and_the_password_against_the_gateway()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["node", "add", "hg-check-1", "--json", .. Api]);
        Assert.True(code == 0, stderr);
        string secret = JsonDocument.Parse(stdout).RootElement.GetProperty("secret").GetString()!;
        string file = Path.Combine(_dir.Path, "check.json");
        string[] rest = ["--wifi-ssid", "UBND-ViThanh", "--gateway-host", "127.0.0.1", "--plaintext", "--out", file, .. Api];

        (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-never-added", "--secret", secret, .. rest]);
        Assert.Equal(2, code);
        Assert.Contains("node add hg-never-added", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-check-1", "--secret", "a-wrong-but-long-secret", .. rest]);
        Assert.Equal(1, code);
        Assert.Contains("not hg-check-1's password", stderr, StringComparison.Ordinal);
        Assert.False(File.Exists(file), "a refused config must not be written");

        (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-check-1", "--secret", secret, .. rest]);
        Assert.True(code == 0, stderr);
        Assert.True(File.Exists(file));
    }

    [Fact]
    public async Task A_wrong_token_is_called_wrong_an_unknown_node_is_named_and_status_counts_what_it_lists()
    {
        string[] wrong = ["--gateway-url", _gateway.Http.BaseAddress!.ToString(), "--token", "not-the-operator-token-at-all"];
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "list", .. wrong]);
        Assert.Equal(4, code);
        Assert.Contains("wrong", stderr, StringComparison.Ordinal);
        (code, _, stderr) = await CliProcess.RunAsync(["gateway", "status", .. wrong]);
        Assert.NotEqual(0, code);
        Assert.Contains("wrong", stderr, StringComparison.Ordinal);

        (code, _, stderr) = await CliProcess.RunAsync(["node", "watch", "hg-nosuch-node", "--timeout", "2", .. Api]);
        Assert.Equal(2, code);
        Assert.Contains("has no node \"hg-nosuch-node\"", stderr, StringComparison.Ordinal);

        Assert.Equal(0, (await CliProcess.RunAsync(["node", "add", "hg-silent-1", .. Api])).Code);
        (code, _, stderr) = await CliProcess.RunAsync(["node", "watch", "hg-silent-1", "--timeout", "2", .. Api]);
        Assert.Contains("never reported", stderr, StringComparison.Ordinal);

        string stdout;
        (code, stdout, stderr) = await CliProcess.RunAsync(["gateway", "status", .. Api]);
        Assert.True(code == 0, stderr);
        Assert.Contains("registered: 0 online", stdout, StringComparison.Ordinal);
        Assert.Contains("never reported;", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_transducer_of_another_range_gets_its_own_transfer()
    {
        string file = Path.Combine(_dir.Path, "one-bar.json");
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "config", "hg-vithanh-013", "--secret", "long-enough-secret", "--wifi-ssid", "UBND-ViThanh",
            "--gateway-host", "192.168.1.10", "--pressure-range-bar", "0.5", "--plaintext", "--out", file, "--no-check"]);
        Assert.True(code == 0, stderr);
        NodeConfig? decoded = ConfigDecoder.DecodeDevice(await File.ReadAllBytesAsync(file), out string error);
        Assert.True(decoded != null, error);
        Assert.Equal(250.0, decoded.PressureHpaPerVolt);
    }

    [Theory]
    [InlineData(new[] { "node", "add", "Bad_Id" }, "not a valid node id")]
    [InlineData(new[] { "node", "add", "hg-x", "--lat", "95", "--lon", "105" }, "--lat must be")]
    [InlineData(new[] { "node", "add", "hg-x", "--lat", "9.7" }, "--lat and --lon go together")]
    [InlineData(new[] { "node", "config", "hg-x", "--wifi-ssid", "a", "--gateway-host", "h" }, "--secret")]
    [InlineData(new[] { "node", "config", "hg-x", "--secret", "short", "--wifi-ssid", "a", "--gateway-host", "h" }, "password")]
    [InlineData(new[] { "node", "config", "hg-x", "--secret", "long-enough-secret", "--wifi-ssid", "a", "--gateway-host", "h", "--interval", "0" }, "--interval must be from 1 to 86400")]
    [InlineData(new[] { "node", "config", "hg-x", "--secret", "long-enough-secret", "--wifi-ssid", "a", "--gateway-host", "h", "--mode", "turbo" }, "mode")]
    [InlineData(new[] { "node", "config", "hg-x", "--secret", "long-enough-secret", "--wifi-ssid", "a", "--gateway-host", "h", "--pressure-range-bar", "0" }, "--pressure-range-bar must be")]
    [InlineData(new[] { "node", "config", "hg-x", "--secret", "long-enough-secret", "--wifi-ssid", "a", "--gateway-host", "h", "--ca", "/nonexistent/ca.crt" }, "CA certificate was not found")]
    [InlineData(new[] { "node", "config", "hg-x", "--secret", "long-enough-secret", "--wifi-ssid", "a", "--gateway-host", "192.168.1.10:8883" }, "the port goes in \"gateway.port\"")]
    public async Task Bad_input_is_refused_with_a_clear_message_and_a_non_zero_exit(string[] args, string expected)
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync([.. args, .. Api]);
        Assert.NotEqual(0, code);
        Assert.Contains(expected, stderr + stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Operator_accounts_are_made_and_revoked_from_the_CLI_and_every_change_is_in_the_audit_log()
    {
        var (code, stdout, stderr) = await CliProcess.RunAsync(["operator", "add", "kt-lan", "--role", "technician", "--json", .. Api]);
        Assert.True(code == 0, stderr);
        string token = JsonDocument.Parse(stdout).RootElement.GetProperty("token").GetString()!;

        string url = $"http://127.0.0.1:{_gateway.HttpPort}";
        (code, _, stderr) = await CliProcess.RunAsync(["node", "add", "hg-by-lan", "--gateway-url", url, "--token", token]);
        Assert.True(code == 0, stderr);
        Assert.Equal(0, (await CliProcess.RunAsync(["operator", "revoke", "kt-lan", .. Api])).Code);
        (code, _, stderr) = await CliProcess.RunAsync(["node", "list", "--gateway-url", url, "--token", token]);
        Assert.NotEqual(0, code);
        Assert.Contains("not accepted", stderr, StringComparison.Ordinal);

        // With the gateway stopped, straight on its store: still audited, under the local user's name.
        await _gateway.KillAsync();
        string[] offline = ["--gateway-url", "http://127.0.0.1:9", "--data-dir", _dir.Path];
        (code, _, stderr) = await CliProcess.RunAsync(["operator", "add", "xa-vitan", "--role", "operator", .. offline]);
        Assert.True(code == 0, stderr);
        (code, stdout, stderr) = await CliProcess.RunAsync(["operator", "audit", "--json", .. offline]);
        Assert.True(code == 0, stderr);
        JsonElement[] log = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "operator_add" && e.GetProperty("target").GetString() == "kt-lan" && e.GetProperty("account").GetString() == "admin");
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "node_add" && e.GetProperty("account").GetString() == "kt-lan");
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "operator_revoke" && e.GetProperty("account").GetString() == "admin");
        Assert.Contains(log, e => e.GetProperty("action").GetString() == "operator_add" && e.GetProperty("target").GetString() == "xa-vitan" && e.GetProperty("account").GetString()!.StartsWith("local:", StringComparison.Ordinal));

        // The bootstrap admin token, rotated on the stopped gateway's data folder: a new 0600 token file, audited.
        (code, stdout, stderr) = await CliProcess.RunAsync(["operator", "rotate-admin", "--json", .. offline]);
        Assert.True(code == 0, stderr);
        string fresh = JsonDocument.Parse(stdout).RootElement.GetProperty("token").GetString()!;
        string tokenFile = Path.Combine(_dir.Path, "operator.token");
        Assert.Equal(fresh, (await File.ReadAllTextAsync(tokenFile)).Trim());
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(tokenFile));
    }

    [Theory]
    [InlineData("admin", "technician", "is reserved")]
    [InlineData("iothub-c2d", "operator", "is reserved")]
    [InlineData("kt lan!", "technician", "name is 2–40 letters")]
    public async Task Adding_an_operator_gives_the_same_refusal_through_the_API_and_on_the_stopped_gateway_s_store(string name, string role, string expected)
    {
        var (code, _, viaApi) = await CliProcess.RunAsync(["operator", "add", name, "--role", role, .. Api]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, viaApi, StringComparison.Ordinal);

        await _gateway.KillAsync();
        (code, _, string offline) = await CliProcess.RunAsync(["operator", "add", name, "--role", role, "--gateway-url", "http://127.0.0.1:9", "--data-dir", _dir.Path]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains(expected, offline, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Node_administration_gives_the_same_refusal_and_audit_entry_through_the_API_and_on_the_stopped_gateway_s_store()
    {
        // Issue 29: offline `node add` skipped the place and notes limits. Both entry points now run NodeAdministration.
        string longPlace = new('x', 201);
        string[] offline = ["--gateway-url", "http://127.0.0.1:9", "--data-dir", _dir.Path, "--json"];
        var (code, _, viaApi) = await CliProcess.RunAsync(["node", "add", "hg-entry-9", "--place", longPlace, .. Api]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("place is at most 200 characters", viaApi, StringComparison.Ordinal);
        Assert.Equal(0, (await CliProcess.RunAsync(["node", "add", "hg-entry-1", "--place", "Kênh Xáng", .. Api])).Code);
        Assert.Equal(0, (await CliProcess.RunAsync(["sms", "subscribe", "0912 000 111", "hg-entry-1", "--crop", "mango", .. Api])).Code);
        (code, _, string badPhoneApi) = await CliProcess.RunAsync(["sms", "subscribe", "12345", "hg-entry-1", "--crop", "mango", .. Api]);
        Assert.Equal(ExitCodes.Usage, code);

        await _gateway.KillAsync();
        (code, _, string viaStore) = await CliProcess.RunAsync(["node", "add", "hg-entry-9", "--place", longPlace, .. offline]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Contains("place is at most 200 characters", viaStore, StringComparison.Ordinal);
        Assert.Equal(0, (await CliProcess.RunAsync(["node", "add", "hg-entry-2", "--place", "Kênh Xáng", .. offline])).Code);
        Assert.Equal(0, (await CliProcess.RunAsync(["sms", "subscribe", "0912 000 222", "hg-entry-2", "--crop", "mango", .. offline])).Code);
        (code, _, string badPhoneStore) = await CliProcess.RunAsync(["sms", "subscribe", "12345", "hg-entry-2", "--crop", "mango", .. offline]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(badPhoneApi.Trim().Split('\n')[0].Split(": ", 2)[^1], badPhoneStore.Trim().Split('\n')[0].Split(": ", 2)[^1]);

        // The same audit entry shape from both, only the account differs (the operator, or local:<shell user>).
        var (_, stdout, stderr) = await CliProcess.RunAsync(["operator", "audit", .. offline]);
        JsonElement[] rows = JsonDocument.Parse(stdout).RootElement.EnumerateArray().ToArray();
        Assert.True(rows.Length > 0, stderr);
        JsonElement Row(string action, string target) => rows.Single(r => r.GetProperty("action").GetString() == action && r.GetProperty("target").GetString() == target);
        Assert.Equal(Row("node_add", "hg-entry-1").GetProperty("detail").GetString(), Row("node_add", "hg-entry-2").GetProperty("detail").GetString());
        string[] smsDetails = rows.Where(r => r.GetProperty("action").GetString() == "sms_subscribe").Select(r => r.GetProperty("detail").GetString()!).ToArray();
        Assert.Contains(smsDetails, d => d.StartsWith("hg-entry-1 mango (api:", StringComparison.Ordinal));
        Assert.Contains(smsDetails, d => d.StartsWith("hg-entry-2 mango (local:", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("node", "rotate-secret")]
    [InlineData("node", "remove")]
    public async Task Re_keying_or_removing_an_unknown_node_gives_the_same_refusal_through_the_API_and_on_the_stopped_gateway_s_store(string group, string command)
    {
        var (code, _, viaApi) = await CliProcess.RunAsync([group, command, "hg-nowhere-1", .. Api]);
        Assert.Equal(ExitCodes.NotFound, code);
        await _gateway.KillAsync();
        (code, _, string viaStore) = await CliProcess.RunAsync([group, command, "hg-nowhere-1", "--gateway-url", "http://127.0.0.1:9", "--data-dir", _dir.Path]);
        Assert.Equal(ExitCodes.NotFound, code);
        Assert.Contains("no node \"hg-nowhere-1\"", viaApi, StringComparison.Ordinal);
        Assert.Contains("no node \"hg-nowhere-1\"", viaStore, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancelling_texts_for_a_malformed_number_gives_the_same_refusal_through_the_API_and_on_the_stopped_gateway_s_store()
    {
        var (code, _, viaApi) = await CliProcess.RunAsync(["sms", "cancel", "12345", .. Api]);
        Assert.Equal(ExitCodes.Usage, code);
        await _gateway.KillAsync();
        (code, _, string viaStore) = await CliProcess.RunAsync(["sms", "cancel", "12345", "--gateway-url", "http://127.0.0.1:9", "--data-dir", _dir.Path]);
        Assert.Equal(ExitCodes.Usage, code);
        Assert.Equal(FirstLine(viaApi).Split("phone: ", 2)[^1], FirstLine(viaStore).Split("phone: ", 2)[^1]);
    }

    private static string FirstLine(string text) => text.Trim().Split('\n')[0];

    [Fact]
    public async Task A_duplicate_id_is_refused_with_the_conflict_exit_code()
    {
        Assert.Equal(0, (await CliProcess.RunAsync(["node", "add", "hg-twice", .. Api])).Code);
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "add", "hg-twice", .. Api]);
        Assert.Equal(3, code);
        Assert.Contains("already registered", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_the_gateway_stopped_nodes_are_added_directly_in_its_store()
    {
        await _gateway.KillAsync();
        var (code, stdout, stderr) = await CliProcess.RunAsync(["node", "add", "hg-offline-1", "--json", "--gateway-url", "http://127.0.0.1:9", "--data-dir", _dir.Path]);
        Assert.True(code == 0, stderr);
        string secret = JsonDocument.Parse(stdout).RootElement.GetProperty("secret").GetString()!;
        await _gateway.StartAsync();
        await using var node = new TestNode("hg-offline-1", secret);
        Assert.True((await node.ConnectAsync(_gateway.MqttPort)).Ok);
    }

    [Fact]
    public async Task Without_a_token_the_cli_says_how_to_give_one()
    {
        var (code, _, stderr) = await CliProcess.RunAsync(["node", "list", "--gateway-url", _gateway.Http.BaseAddress!.ToString(), "--data-dir", "/nonexistent"]);
        Assert.Equal(4, code);
        Assert.Contains("--token", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Gateway_status_and_doctor_run_against_a_live_gateway()
    {
        await _gateway.RegisterNodeAsync("hg-status-1");
        var (code, stdout, stderr) = await CliProcess.RunAsync(["gateway", "status", .. Api]);
        Assert.True(code == 0, stderr);
        Assert.Contains("hg-status-1", stdout, StringComparison.Ordinal);
        Assert.Contains("never reported", stdout, StringComparison.Ordinal);

        (code, stdout, stderr) = await CliProcess.RunAsync(["gateway", "status", "--json", .. Api]);
        Assert.Equal(0, code);
        Assert.Equal("test-site", JsonDocument.Parse(stdout).RootElement.GetProperty("health").GetProperty("site").GetString());

        (code, stdout, stderr) = await CliProcess.RunAsync(["doctor", "--json", "--mqtt-port", _gateway.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", _dir.Path, .. Api]);
        JsonElement checks = JsonDocument.Parse(stdout).RootElement.GetProperty("checks");
        Assert.All(checks.EnumerateArray().Where(c => c.GetProperty("name").GetString() is "http" or "broker" or "clock" or "ioc" or "gpio"), c => Assert.True(c.GetProperty("ok").GetBoolean(), c.ToString()));
        Assert.Equal(checks.EnumerateArray().All(c => c.GetProperty("ok").GetBoolean()) ? 0 : 6, code);

        // And a dead gateway is reported as such.
        (code, stdout, _) = await CliProcess.RunAsync(["doctor", "--gateway-url", "http://127.0.0.1:9", "--mqtt-port", "9", "--data-dir", _dir.Path]);
        Assert.Equal(6, code);
        Assert.Contains("does not answer", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Doctor_checks_the_node_port_a_TLS_only_gateway_opens_and_passes_against_it()
    {
        // Issue 30: `doctor` checked 1883, which a correct production gateway no longer opens, and failed it. Its
        // default is now the gateway's node port (MqttPorts.Tls, also Broker:TlsPort's default).
        var (code, help, _) = await CliProcess.RunAsync(["doctor", "--help"]);
        Assert.Equal(0, code);
        Assert.Contains(EdgeSensors.Node.Protocol.MqttPorts.Tls.ToString(System.Globalization.CultureInfo.InvariantCulture), help, StringComparison.Ordinal);

        using var dir = new TempDir();
        await using var tlsOnly = new GatewayProcess(dir.Path, extra: new Dictionary<string, string> { ["Broker:AllowPlaintext"] = "false" });
        await tlsOnly.StartAsync();
        string[] api = ["--gateway-url", tlsOnly.Http.BaseAddress!.ToString(), "--token", GatewayProcess.OperatorToken, "--data-dir", dir.Path];
        (code, string stdout, string stderr) = await CliProcess.RunAsync(["doctor", "--json", "--mqtt-port", tlsOnly.TlsPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. api]);
        JsonElement broker = JsonDocument.Parse(stdout).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "broker");
        Assert.True(broker.GetProperty("ok").GetBoolean(), broker + stderr);

        // Pointed at the lab port a TLS-only gateway does not open, it says which port nodes use.
        (code, stdout, _) = await CliProcess.RunAsync(["doctor", "--mqtt-port", tlsOnly.MqttPort.ToString(System.Globalization.CultureInfo.InvariantCulture), .. api]);
        Assert.Equal(6, code);
        Assert.Contains("Broker:TlsPort", stdout, StringComparison.Ordinal);
    }
}
