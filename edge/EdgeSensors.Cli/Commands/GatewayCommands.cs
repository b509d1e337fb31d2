using System.CommandLine;
using System.Net.Sockets;
using System.Text.Json;

namespace EdgeSensors.Cli.Commands;

/// <summary>`gateway status` and `doctor`: what a technician checks before leaving a commune.</summary>
public static class GatewayCommands
{
    public static Command Status()
    {
        var cmd = new Command("status", "Gateway health, nodes online and offline with last-seen, backlog, uplink.");
        cmd.SetAction(async (p, ct) =>
        {
            Console2 c = Output.For(p);
            string url = p.GetValue(GatewayTarget.Url)!;
            using HttpClient http = GatewayTarget.CreateHttp(url, GatewayTarget.ResolveCa(p), TimeSpan.FromSeconds(10));
            if (GatewayTarget.ResolveToken(p) is { } token)
            {
                http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
            }

            JsonElement health, stations;
            try
            {
                using HttpResponseMessage h = await http.GetAsync("/api/health", ct).ConfigureAwait(false);
                if (h.StatusCode is System.Net.HttpStatusCode.Unauthorized or System.Net.HttpStatusCode.Forbidden)
                {
                    string why = await h.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
                    return c.Fail(ExitCodes.Usage, $"the gateway refused the operator token: {why} (use --token or EDGESENSORS_OPERATOR_TOKEN; from another machine use https://…:8443 with --ca)");
                }

                health = JsonDocument.Parse(await h.Content.ReadAsStringAsync(ct).ConfigureAwait(false)).RootElement;
                stations = JsonDocument.Parse(await http.GetStringAsync("/api/public/stations", ct).ConfigureAwait(false)).RootElement;
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                return c.Fail(ExitCodes.GatewayUnavailable, GatewayTarget.Explain(ex, url, GatewayTarget.ResolveCa(p)));
            }

            if (Output.Json(p))
            {
                Output.WriteJson(p, new { health, stations });
                return ExitCodes.Ok;
            }

            JsonElement store = health.GetProperty("store"), uplink = health.GetProperty("uplink");
            c.Ok($"Gateway {Output.Str(health, "site")} at {url}: {Output.Str(health, "status")}");
            c.Info($"  store   {Output.Str(store, "path")}: {store.GetProperty("used_bytes").GetInt64() / 1048576.0:F1} MB of {store.GetProperty("max_bytes").GetInt64() / 1048576.0:F0} MB, backlog {Output.Str(store, "backlog")} readings (oldest {Output.Str(store, "backlog_age_s")} s), dropped by policy {Output.Str(store, "dropped_total")}");
            c.Info($"  uplink  {Output.Str(uplink, "state")} {Output.Str(uplink, "target")}{(uplink.TryGetProperty("last_error", out JsonElement le) && le.ValueKind == JsonValueKind.String ? " — " + le.GetString() : string.Empty)}");
            // One definition for the count and the list (issue 16): online = a reading within the hour. A battery node
            // sleeping between samples is online but not connected, so the broker's live count is given beside it.
            static long? Age(JsonElement s) => s.GetProperty("age_s").ValueKind == JsonValueKind.Number ? s.GetProperty("age_s").GetInt64() : null;
            var all = stations.EnumerateArray().ToList();
            int online = all.Count(s => Age(s) < 3600), never = all.Count(s => Age(s) == null), offline = all.Count - online - never;
            c.Info($"  nodes   {all.Count} registered: {online} online (a reading within the hour), {offline} offline, {never} never reported; {Output.Str(health.GetProperty("broker"), "connected_nodes")} connected to the broker right now");
            foreach (JsonElement s in all)
            {
                long? age = Age(s);
                string state = age == null ? Console2.Paint("33", "never reported") : age < 3600 ? Console2.Paint("32", "online") : Console2.Paint("31", "offline");
                c.Info($"    {Output.Str(s, "id"),-24} {state,-16} last seen {(age == null ? "—" : age + " s ago")}  {Output.Str(s, "place")}");
            }

            return ExitCodes.Ok;
        });
        var gateway = new Command("gateway", "The gateway at the commune office.");
        gateway.Subcommands.Add(cmd);
        return gateway;
    }

    public static Command Doctor()
    {
        var mqttPort = Numbers.Whole("--mqtt-port", "The gateway's MQTT port for nodes (TLS, the default; 1883 only on a lab bench with Broker:AllowPlaintext).", 1, 65535, EdgeSensors.Node.Protocol.MqttPorts.Tls);
        var cmd = new Command("doctor", "Check clock, disk, ports, broker, IOC connection and GPIO; says what to fix.") { mqttPort };
        cmd.SetAction(async (p, ct) =>
        {
            Console2 c = Output.For(p);
            string url = p.GetValue(GatewayTarget.Url)!;
            var checks = new List<(string Name, bool Ok, string Detail)>();

            DateTime now = DateTime.UtcNow;
            checks.Add(("clock", now.Year >= 2025 && now.Year < 2100, $"{now:u}" + (now.Year < 2025 ? " — the clock is wrong: enable NTP (timedatectl set-ntp true) or set it" : string.Empty)));

            string dataDir = GatewayTarget.ResolveDataDir(p) ?? ".";
            var drive = new DriveInfo(Path.GetFullPath(dataDir));
            double freeGb = drive.AvailableFreeSpace / 1e9;
            checks.Add(("disk", freeGb >= 1, $"{freeGb:F1} GB free at {Path.GetFullPath(dataDir)}" + (freeGb < 1 ? " — free space or enlarge the SD card" : string.Empty)));

            JsonElement? health = null;
            using (HttpClient http = GatewayTarget.CreateHttp(url, GatewayTarget.ResolveCa(p), TimeSpan.FromSeconds(10)))
            {
                try
                {
                    if (GatewayTarget.ResolveToken(p) is { } token)
                    {
                        http.DefaultRequestHeaders.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token);
                    }

                    using HttpResponseMessage resp = await http.GetAsync("/api/health", ct).ConfigureAwait(false);
                    health = JsonDocument.Parse(await (resp.IsSuccessStatusCode ? resp.Content.ReadAsStringAsync(ct) : http.GetStringAsync("/health", ct)).ConfigureAwait(false)).RootElement;
                    checks.Add(("http", true, $"{url} answers"));
                }
                catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
                {
                    checks.Add(("http", false, GatewayTarget.Explain(ex, url, GatewayTarget.ResolveCa(p))));
                }
            }

            string host = new Uri(url).Host;
            int port = p.GetValue(mqttPort);
            try
            {
                using var tcp = new TcpClient();
                await tcp.ConnectAsync(host, port, ct).ConfigureAwait(false);
                checks.Add(("broker", true, $"MQTT listening on {host}:{port}"));
            }
            catch (SocketException ex)
            {
                checks.Add(("broker", false, $"nothing listens on {host}:{port} ({ex.SocketErrorCode}) — nodes cannot connect (the gateway's node port is Broker:TlsPort, {EdgeSensors.Node.Protocol.MqttPorts.Tls} by default; pass --mqtt-port if it was changed)"));
            }

            if (health is JsonElement pub && !pub.TryGetProperty("uplink", out _))
            {
                checks.Add(("ioc", false, "the gateway's details need the operator token (--token, EDGESENSORS_OPERATOR_TOKEN, or --data-dir with operator.token)"));
            }
            else if (health is JsonElement h)
            {
                JsonElement uplink = h.GetProperty("uplink");
                string state = Output.Str(uplink, "state");
                checks.Add(("ioc", state is "connected" or "disabled", state == "disabled"
                    ? "no uplink configured (Uplink:Host): readings stay local"
                    : $"{state} {Output.Str(uplink, "target")}" + (state == "connected" ? string.Empty : " — check the 4G link, the IOC address and credentials: " + Output.Str(uplink, "last_error"))));
                JsonElement gpio = h.GetProperty("gpio");
                checks.Add(("gpio", true, $"{Output.Str(gpio, "driver")}, signals at level {Output.Str(gpio, "level")}"));
                JsonElement enc = h.GetProperty("enclosure");
                checks.Add(("enclosure", true, enc.GetProperty("present").GetBoolean() ? $"{Output.Str(enc, "temperature_c")} °C, {Output.Str(enc, "humidity_pct")} %" : "no BME280 in the enclosure (optional)"));
            }

            bool allOk = checks.All(x => x.Ok);
            if (Output.Json(p))
            {
                Output.WriteJson(p, new { ok = allOk, checks = checks.Select(x => new { name = x.Name, ok = x.Ok, detail = x.Detail }) });
            }
            else
            {
                foreach (var (name, ok, detail) in checks)
                {
                    c.Info($"{(ok ? Console2.Paint("32", "✔") : Console2.Paint("31", "✖"))} {name,-10} {detail}");
                }
            }

            return allOk ? ExitCodes.Ok : ExitCodes.CheckFailed;
        });
        return cmd;
    }
}
