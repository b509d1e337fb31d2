using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using EdgeSensors.Emulator.Sim;
using EdgeSensors.Emulator.Site;
using EdgeSensors.Node.Cycle;

namespace EdgeSensors.Emulator;

/// <summary>Builds a fleet from settings and runs it.</summary>
public static class EmulatorRunner
{
    private static readonly string[] Places =
    [
        "Kênh Xáng Xà No", "Kênh Lầu", "Vị Tân", "Hỏa Tiến", "Hỏa Lựu", "Tân Tiến", "Vị Thủy", "Long Mỹ", "Vĩnh Viễn", "Lương Tâm",
    ];

    /// <summary>Node placements around Vị Thanh (9.7845 N, 105.4701 E), deterministic from the seed. Nodes to the west and south-west, toward the Cái Lớn, see more salt.</summary>
    public static List<NodePlacement> Place(int count, string prefix, int seed)
    {
        var random = new Random(seed);
        var list = new List<NodePlacement>(count);
        for (int i = 0; i < count; i++)
        {
            double angle = random.NextDouble() * 2 * Math.PI;
            double km = 15 * Math.Sqrt(random.NextDouble());
            double dLat = km * Math.Sin(angle) / 111.0;
            double dLon = km * Math.Cos(angle) / 109.5;
            double westness = -Math.Cos(angle) * km / 15; // −1 east … +1 west
            double southness = -Math.Sin(angle) * km / 15;
            double factor = Math.Clamp(1 + (0.45 * westness) + (0.2 * southness), 0.4, 1.8);
            list.Add(new NodePlacement($"{prefix}-{i + 1:D4}", Math.Round(9.7845 + dLat, 5), Math.Round(105.4701 + dLon, 5), Places[i % Places.Length], factor, -1.5 - random.NextDouble()));
        }

        return list;
    }

    /// <summary>Registers the nodes that have no credentials yet through the gateway's operator API.</summary>
    public static async Task RegisterAsync(EmulatorSettings s, IReadOnlyList<NodePlacement> placements, TextWriter progress, CancellationToken ct)
    {
        List<NodePlacement> missing = placements.Where(p => !s.Credentials.ContainsKey(p.Id)).ToList();
        if (missing.Count == 0)
        {
            return;
        }

        if (s.RegisterUrl == null || string.IsNullOrEmpty(s.OperatorToken))
        {
            throw new InvalidOperationException($"{missing.Count} nodes have no credentials: give --credentials, or --register <gateway http url> with --token to create them");
        }

        using var http = new HttpClient { BaseAddress = s.RegisterUrl };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", s.OperatorToken);
        int done = 0;
        foreach (NodePlacement p in missing)
        {
            HttpResponseMessage r = await http.PostAsJsonAsync("/api/nodes", new { id = p.Id, lat = p.Lat, lon = p.Lon, place = p.Place, notes = "emulated" }, ct).ConfigureAwait(false);
            if (r.StatusCode == System.Net.HttpStatusCode.Conflict)
            {
                r = await http.PostAsync($"/api/nodes/{p.Id}/rotate-secret", null, ct).ConfigureAwait(false);
            }

            string body = await r.Content.ReadAsStringAsync(ct).ConfigureAwait(false);
            if (!r.IsSuccessStatusCode)
            {
                throw new InvalidOperationException($"registering {p.Id} failed: {(int)r.StatusCode} {body}");
            }

            s.Credentials[p.Id] = JsonDocument.Parse(body).RootElement.GetProperty("secret").GetString()!;
            if (++done % 100 == 0 || done == missing.Count)
            {
                progress.WriteLine($"registered {done}/{missing.Count} nodes");
            }
        }
    }

    public static Fleet Build(EmulatorSettings s)
    {
        Scenario scenario = Scenario.Find(s.Scenario);
        var clock = new FleetClock(s.StartUtc ?? scenario.DefaultStart, s.Offline ? 1 : s.Speed, s.Offline);
        var site = new SiteModel(scenario);
        List<NodePlacement> placements = Place(s.Nodes, s.IdPrefix, s.Seed);
        var nodes = new List<EmulatedNode>(s.Nodes);
        foreach (NodePlacement p in placements)
        {
            int i = nodes.Count;
            INodeTransport transport = s.Offline ? new OfflineTransport() : new MqttNodeTransport();
            string secret = s.Credentials.TryGetValue(p.Id, out string? sec) ? sec : "offline-node-secret";
            nodes.Add(new EmulatedNode(i, p, secret, s.Host, s.Port, s.IntervalSeconds, s.Mode, clock, site, transport, unchecked((s.Seed * 1_000_003) + i), s.KeepSampleLog, s.CaPem, s.BootSalt));
        }

        List<ScheduledFault> plan = Fleet.Plan(s.Faults, placements, (long)s.Duration.TotalMilliseconds, s.Seed);
        return new Fleet(clock, nodes, plan, s.Host, s.Port, s.Seed, scenario.Name);
    }
}
