using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using EdgeSensors.Emulator;
using EdgeSensors.Emulator.Sim;
using EdgeSensors.Emulator.Site;
using EdgeSensors.Node.Config;

var nodes = new Option<int>("--nodes") { Description = "How many nodes to emulate.", DefaultValueFactory = _ => 10 };
var gateway = new Option<string?>("--gateway") { Description = "Gateway MQTT host:port (default 127.0.0.1:8883 with TLS; 127.0.0.1:1883 with --plaintext)." };
var ca = new Option<FileInfo?>("--ca") { Description = "The gateway's CA certificate (its data/tls/ca.crt; default edge/EdgeSensors.Gateway/data/tls/ca.crt)." };
var plaintext = new Option<bool>("--plaintext") { Description = "Lab only: plain MQTT to a gateway started with Broker:AllowPlaintext=true." };
var credentials = new Option<FileInfo?>("--credentials") { Description = "JSON file [{\"id\":…,\"secret\":…}] from the gateway's provisioning (written back after --register)." };
var register = new Option<string?>("--register") { Description = "Gateway HTTP URL (e.g. http://127.0.0.1:8080): register missing nodes there in one step." };
var token = new Option<string?>("--token") { Description = "Operator token for --register (or EDGESENSORS_OPERATOR_TOKEN)." };
var duration = new Option<double>("--duration") { Description = "Simulated seconds to run.", DefaultValueFactory = _ => 60 };
var speed = new Option<double>("--speed") { Description = "Time acceleration: 60 runs an hour of tides in a minute.", DefaultValueFactory = _ => 1 };
var rate = new Option<double?>("--rate") { Description = "Load-test mode: total samples per second across the fleet (sets the interval)." };
var interval = new Option<int>("--interval") { Description = "Seconds between samples per node.", DefaultValueFactory = _ => 60 };
var mode = new Option<string>("--mode") { Description = "always_on or deep_sleep.", DefaultValueFactory = _ => "always_on" };
var scenario = new Option<string>("--scenario") { Description = "wet-calm, dry-typical or dry-2020.", DefaultValueFactory = _ => "dry-typical" };
var start = new Option<DateTime?>("--start") { Description = "Simulated start time (UTC, ISO 8601); default: now against a gateway (so its charts fill), the scenario's own date offline or with --historic." };
var historic = new Option<bool>("--historic") { Description = "Start at the scenario's own date (e.g. dry-2020: 14 Feb) instead of now." };
var backfill = new Option<double>("--backfill-days") { Description = "First publish this many days of history per node (the site's truth every 15 min, back-dated), so charts and the safe-intake forecast have data at once (a demo).", DefaultValueFactory = _ => 0 };
var sameBoots = new Option<bool>("--same-boots") { Description = "Reuse the boot ids of an earlier run with this seed (the gateway then drops those readings as duplicates: for dedup tests)." };
var seed = new Option<int>("--seed") { Description = "Seed: same seed, same readings and faults.", DefaultValueFactory = _ => 1 };
var fault = new Option<string[]>("--fault") { Description = "kind=fraction|node-id, repeatable. Kinds: " + string.Join(", ", Enum.GetValues<FaultKind>().Select(FaultSpec.KindName)), AllowMultipleArgumentsPerToken = false };
var offline = new Option<bool>("--offline") { Description = "No gateway: virtual time, samples stay in the outboxes (scenario studies, determinism)." };
var json = new Option<bool>("--json") { Description = "Print the final report as JSON." };
var samples = new Option<FileInfo?>("--samples-csv") { Description = "Write every generated sample (node, boot, seq, ts, salinity, level, truth) to a CSV file." };
var summaryEvery = new Option<double>("--summary-every") { Description = "Seconds of wall time between summary lines.", DefaultValueFactory = _ => 5 };
var prefix = new Option<string>("--prefix") { Description = "Node id prefix.", DefaultValueFactory = _ => "emu" };

var root = new RootCommand("EdgeSensors emulator: fleets of nodes running the real node logic with simulated sensors, tides and salinity, against a real gateway.")
{
    nodes, gateway, ca, plaintext, credentials, register, token, duration, speed, rate, interval, mode, scenario, start, historic, seed, sameBoots, backfill, fault, offline, json, samples, summaryEvery, prefix,
};
root.SetAction(async (parse, ct) =>
{
    TextWriter err = parse.InvocationConfiguration.Error;
    TextWriter output = parse.InvocationConfiguration.Output;
    var s = new EmulatorSettings
    {
        Nodes = parse.GetValue(nodes),
        IdPrefix = parse.GetValue(prefix)!,
        RegisterUrl = null,
        OperatorToken = parse.GetValue(token) ?? Environment.GetEnvironmentVariable("EDGESENSORS_OPERATOR_TOKEN"),
        Duration = TimeSpan.FromSeconds(parse.GetValue(duration)),
        Speed = parse.GetValue(speed),
        Offline = parse.GetValue(offline),
        IntervalSeconds = parse.GetValue(interval),
        Scenario = parse.GetValue(scenario)!,
        StartUtc = parse.GetValue(start)?.ToUniversalTime()
            ?? (parse.GetValue(offline) || parse.GetValue(historic) ? null : new DateTime(DateTime.UtcNow.Ticks / TimeSpan.TicksPerMinute * TimeSpan.TicksPerMinute, DateTimeKind.Utc)),
        Seed = parse.GetValue(seed),
        KeepSampleLog = parse.GetValue(samples) != null,
        BootSalt = parse.GetValue(offline) || parse.GetValue(sameBoots) ? 0 : System.Security.Cryptography.RandomNumberGenerator.GetInt32(1, int.MaxValue),
    };
    try
    {
        if (s.Nodes is < 1 or > 100000 || s.Speed <= 0 || s.Duration <= TimeSpan.Zero || s.IntervalSeconds < 1)
        {
            throw new ArgumentException("--nodes must be 1–100000, --speed and --duration positive, --interval at least 1");
        }

        // Against a gateway the samples are dated by the fleet's clock, which runs --speed times the wall clock: started
        // "now", it would run ahead of the gateway's and the gateway would keep them at their receive time
        // (ts_implausible). So a fast run ends at the present instead of starting there (one home for the limit:
        // SampleTimes), and a --start that would reach past it is refused.
        if (!s.Offline && !parse.GetValue(historic))
        {
            DateTime now = DateTime.UtcNow;
            double wallSeconds = s.Duration.TotalSeconds / s.Speed;
            if (parse.GetValue(start) == null && s.Speed > 1)
            {
                s.StartUtc = now.AddSeconds(wallSeconds - s.Duration.TotalSeconds);
            }
            else if (s.StartUtc is DateTime st && st.AddSeconds(s.Duration.TotalSeconds) > now.AddSeconds(wallSeconds + EdgeSensors.Node.Protocol.SampleTimes.MaxFutureSkewSeconds))
            {
                DateTime latest = now.AddSeconds(wallSeconds - s.Duration.TotalSeconds);
                throw new ArgumentException($"--start {st:yyyy-MM-ddTHH:mm:ssZ} with --duration {s.Duration.TotalSeconds:0} at --speed {s.Speed:0.##} dates samples up to {(st.AddSeconds(s.Duration.TotalSeconds) - now.AddSeconds(wallSeconds)).TotalMinutes:0} min ahead of the real clock, and the gateway keeps samples more than {EdgeSensors.Node.Protocol.SampleTimes.MaxFutureSkewSeconds / 60} min ahead at their receive time; start at or before {latest:yyyy-MM-ddTHH:mm:ssZ}, or leave --start out");
            }
        }

        if (parse.GetValue(register) is string url)
        {
            s.RegisterUrl = Uri.TryCreate(url, UriKind.Absolute, out Uri? u) && (u.Scheme == "http" || u.Scheme == "https")
                ? u
                : throw new ArgumentException($"--register must be the gateway's http(s) URL, e.g. http://127.0.0.1:8080; got {url}");
        }

        bool tls = !parse.GetValue(plaintext);
        string[] hostPort = (parse.GetValue(gateway) ?? (tls ? "127.0.0.1:8883" : "127.0.0.1:1883")).Split(':');
        s.Host = hostPort[0];
        s.Port = hostPort.Length > 1 ? int.Parse(hostPort[1], CultureInfo.InvariantCulture) : (tls ? 8883 : 1883);
        if (tls && !parse.GetValue(offline))
        {
            FileInfo caFile = parse.GetValue(ca) ?? new FileInfo(Path.Combine("edge", "EdgeSensors.Gateway", "data", "tls", "ca.crt"));
            s.CaPem = caFile.Exists
                ? File.ReadAllText(caFile.FullName)
                : throw new ArgumentException($"the gateway's CA certificate {caFile.FullName} was not found: pass --ca with the gateway's data/tls/ca.crt (or --plaintext for a lab gateway)");
        }
        s.Mode = parse.GetValue(mode) switch
        {
            "always_on" => PowerMode.AlwaysOn,
            "deep_sleep" => PowerMode.DeepSleep,
            var m => throw new ArgumentException($"--mode must be always_on or deep_sleep, not {m}"),
        };
        _ = Scenario.Find(s.Scenario);
        if (parse.GetValue(rate) is double r)
        {
            if (r <= 0)
            {
                throw new ArgumentException("--rate must be positive");
            }

            s.IntervalSeconds = Math.Max(1, (int)Math.Round(s.Nodes / r));
        }

        s.Faults = (parse.GetValue(fault) ?? []).Select(FaultSpec.Parse).ToList();
        FileInfo? credFile = parse.GetValue(credentials);
        if (credFile is { Exists: true })
        {
            foreach (JsonElement e in JsonDocument.Parse(await File.ReadAllTextAsync(credFile.FullName, ct)).RootElement.EnumerateArray())
            {
                s.Credentials[e.GetProperty("id").GetString()!] = e.GetProperty("secret").GetString()!;
            }
        }

        if (!s.Offline)
        {
            await EmulatorRunner.RegisterAsync(s, EmulatorRunner.Place(s.Nodes, s.IdPrefix, s.Seed), err, ct);
            if (parse.GetValue(backfill) is > 0 and var days)
            {
                if (days > 30)
                {
                    throw new ArgumentException("--backfill-days is at most 30");
                }

                await Backfill.RunAsync(s, EmulatorRunner.Place(s.Nodes, s.IdPrefix, s.Seed), TimeSpan.FromDays(days), TimeSpan.FromMinutes(15), err, ct);
            }
            if (credFile != null)
            {
                await WriteSecretsAsync(credFile, JsonSerializer.Serialize(s.Credentials.Select(kv => new { id = kv.Key, secret = kv.Value })), err, ct);
            }
        }
    }
    catch (Exception ex) when (ex is ArgumentException or FormatException or InvalidOperationException or IOException or JsonException or HttpRequestException or MQTTnet.Exceptions.MqttCommunicationException)
    {
        err.WriteLine("emulate: " + ex.Message);
        return 1;
    }

    using Fleet fleet = EmulatorRunner.Build(s);
    err.WriteLine($"emulating {s.Nodes} nodes ({s.Scenario}, seed {s.Seed}) against {(s.Offline ? "no gateway (offline)" : $"{s.Host}:{s.Port}")}, every {s.IntervalSeconds} s, {s.Duration.TotalSeconds} s simulated at {(s.Offline ? "virtual time" : $"{s.Speed}x")}");
    if (!s.Offline && s.StartUtc is DateTime from)
    {
        err.WriteLine($"simulated time {from:yyyy-MM-dd HH:mm} → {from + s.Duration:yyyy-MM-dd HH:mm} UTC{(s.Speed > 1 ? $" (ends when the run does: at {s.Speed:0.##}x the samples are dated in the past, never ahead of the gateway's clock)" : string.Empty)}");
    }
    FleetReport report = await fleet.RunAsync(s.Duration, TimeSpan.FromSeconds(parse.GetValue(summaryEvery)), err, ct);
    if (parse.GetValue(samples) is FileInfo csv)
    {
        await using var w = new StreamWriter(csv.FullName);
        await w.WriteLineAsync("node,boot,seq,ts,salinity_ppt,level_m,true_salinity_ppt,true_level_m");
        foreach (GeneratedSample g in fleet.Nodes.SelectMany(n => n.Log))
        {
            await w.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"{g.Node},{g.Boot},{g.Seq},{g.Timestamp},{g.SalinityPpt},{g.LevelM},{g.TrueSalinityPpt:F3},{g.TrueLevelM:F3}"));
        }
    }

    if (parse.GetValue(json))
    {
        output.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, WriteIndented = true }));
    }
    else
    {
        output.WriteLine($"{report.Nodes.Count} nodes, {report.SimulatedSeconds:F0} s simulated in {report.WallSeconds:F1} s: generated {report.Generated}, acknowledged {report.Acknowledged}, still queued {report.Queued}, dropped by outboxes {report.DroppedByOutbox}");
        output.WriteLine($"achieved {report.GeneratedPerWallSecond:F1} samples/s generated, {report.AcknowledgedPerWallSecond:F1} samples/s acknowledged (wall time)");
        if (report.FaultsInjected.Count > 0)
        {
            output.WriteLine("faults injected: " + string.Join(", ", report.FaultsInjected.Select(kv => $"{kv.Key} {kv.Value}")));
        }

        // Per node, as the README promises: the ones with something left or lost first; all of them up to 50.
        const int shown = 50;
        output.WriteLine($"{"node",-16} {"boots",5} {"generated",9} {"acked",9} {"queued",7} {"dropped",7}  faults");
        foreach (NodeReport n in report.Nodes.OrderByDescending(n => n.DroppedByOutbox + n.Queued).ThenBy(n => n.Node, StringComparer.Ordinal).Take(shown))
        {
            output.WriteLine($"{n.Node,-16} {n.Boots,5} {n.Generated,9} {n.Acknowledged,9} {n.Queued,7} {n.DroppedByOutbox,7}  {string.Join(", ", n.Faults)}");
        }

        if (report.Nodes.Count > shown)
        {
            output.WriteLine($"… and {report.Nodes.Count - shown} more nodes with nothing queued or dropped (--json lists every node)");
        }
    }

    if (!s.Offline && report.Generated > 0 && report.Acknowledged == 0)
    {
        // Issue 30: "0/2 connected" and exit 0 told a tester nothing. Why the nodes could not deliver, and a failure.
        int connected = fleet.Nodes.Count(n => n.Mqtt?.EverConnected == true);
        string reasons = string.Join("; ", fleet.Nodes.Select(n => n.Mqtt?.LastConnectError).Where(e => e != null)
            .GroupBy(e => e).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ({g.Count()} of {fleet.Nodes.Count} nodes)"));
        err.WriteLine($"emulate: no reading was acknowledged by {s.Host}:{s.Port} ({connected} of {fleet.Nodes.Count} nodes ever connected){(reasons.Length > 0 ? ": " + reasons : string.Empty)}. "
            + "Is the gateway running there? With --plaintext it must allow plain MQTT (Broker:AllowPlaintext, port 1883); without it, TLS on 8883 and its CA. Were the nodes registered (--register with --token, or --credentials)?");
        return 3;
    }

    if (!s.Offline && report.Acknowledged > 0 && fleet.Nodes.Count(n => n.Mqtt is { EverConnected: false }) is int never && never > 0)
    {
        // Part of a fleet that never got through says why, and names the gateway's limit a fleet from one machine
        // meets first (issue 33): the gateway's log says it too, but the tester is reading this one.
        string reasons = string.Join("; ", fleet.Nodes.Where(n => n.Mqtt is { EverConnected: false }).Select(n => n.Mqtt!.LastConnectError).Where(e => e != null)
            .GroupBy(e => e).OrderByDescending(g => g.Count()).Take(3).Select(g => $"{g.Key} ({g.Count()})"));
        err.WriteLine($"note: {never} of {fleet.Nodes.Count} nodes never connected to {s.Host}:{s.Port}{(reasons.Length > 0 ? ": " + reasons : string.Empty)}. "
            + "A gateway closes node connections from one address beyond Broker:MaxConnectionsPerAddress, and all beyond Broker:MaxConnections, and logs it: "
            + "for a fleet run from one machine, start the gateway with a higher --Broker:MaxConnectionsPerAddress.");
    }

    if (s.BootSalt == 0 && !s.Offline)
    {
        err.WriteLine($"note: --same-boots reused the boot ids of seed {s.Seed}; readings a gateway already has from an earlier run with it were acknowledged but dropped there as duplicates, not stored again");
    }

    return 0;
});
return await root.Parse(args).InvokeAsync();

// Node secrets: created 0600 (no moment readable by others), written beside and renamed into place; a warning when
// the file sits inside a git working tree, where it could be committed by accident.
static async Task WriteSecretsAsync(FileInfo file, string json, TextWriter err, CancellationToken ct)
{
    Directory.CreateDirectory(file.DirectoryName!);
    string temp = file.FullName + ".tmp";
    var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
    if (!OperatingSystem.IsWindows())
    {
        options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    }

    await using (var stream = new FileStream(temp, options))
    await using (var w = new StreamWriter(stream))
    {
        await w.WriteAsync(json.AsMemory(), ct);
    }

    File.Move(temp, file.FullName, overwrite: true);
    for (DirectoryInfo? d = file.Directory; d != null; d = d.Parent)
    {
        if (Directory.Exists(Path.Combine(d.FullName, ".git")))
        {
            err.WriteLine($"warning: node secrets written to {file.FullName}, inside the git working tree {d.FullName}; keep them outside it (e.g. --credentials ~/.config/edgesensors/fleet.json) or make sure git ignores the file");
            break;
        }
    }
}
