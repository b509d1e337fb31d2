using EdgeSensors.Emulator.Site;
using EdgeSensors.Node.Protocol;
using EdgeSensors.Node.Samples;
using MQTTnet;
using MQTTnet.Protocol;

namespace EdgeSensors.Emulator.Sim;

/// <summary>
/// History for a demo or a forecast test: each node publishes the last days of its site's truth (with the probe's
/// noise) as back-dated, clock-synced samples under a boot id of their own, before the fleet runs live. This is what
/// a node that had been in the canal for a week would have sent; it goes through the gateway's real ingest (MQTT,
/// the node's credentials, PUBACK after the commit). The conductivity field is left out (the truth is salinity).
/// </summary>
public static class Backfill
{
    public static async Task<long> RunAsync(EmulatorSettings s, IReadOnlyList<NodePlacement> placements, TimeSpan span, TimeSpan step, TextWriter err, CancellationToken ct)
    {
        var site = new SiteModel(Scenario.Find(s.Scenario));
        DateTime end = s.StartUtc ?? DateTime.UtcNow;
        DateTime start = end - span;
        long total = 0;
        int done = 0;
        using var gate = new SemaphoreSlim(8);
        var tasks = placements.Select(async p =>
        {
            await gate.WaitAsync(ct).ConfigureAwait(false);
            try
            {
                long n = await OneAsync(s, site, p, start, end, step, ct).ConfigureAwait(false);
                Interlocked.Add(ref total, n);
                int d = Interlocked.Increment(ref done);
                if (d % 5 == 0 || d == placements.Count)
                {
                    err.WriteLine($"backfill: {d} of {placements.Count} nodes, {Interlocked.Read(ref total)} samples of {span.TotalDays:0.#} days stored");
                }
            }
            finally
            {
                gate.Release();
            }
        }).ToList();
        await Task.WhenAll(tasks).ConfigureAwait(false);
        return total;
    }

    private static async Task<long> OneAsync(EmulatorSettings s, SiteModel site, NodePlacement p, DateTime start, DateTime end, TimeSpan step, CancellationToken ct)
    {
        var random = new Random(HashCode.Combine(p.Id, s.Seed, s.BootSalt));
        uint boot = (uint)random.Next(1, int.MaxValue);
        using IMqttClient client = new MqttClientFactory().CreateMqttClient();
        var builder = new MqttClientOptionsBuilder();
        if (s.CaPem != null)
        {
            var ca = new System.Security.Cryptography.X509Certificates.X509Certificate2Collection();
            ca.ImportFromPem(s.CaPem);
            builder = builder.WithTlsOptions(o => o.UseTls().WithTargetHost(s.Host).WithTrustChain(ca));
        }

        string secret = s.Credentials.TryGetValue(p.Id, out string? sec) ? sec : throw new InvalidOperationException($"no credentials for {p.Id}");
        await client.ConnectAsync(builder.WithTcpServer(s.Host, s.Port).WithClientId(p.Id).WithCredentials(p.Id, secret)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).WithTimeout(TimeSpan.FromSeconds(20)).Build(), ct).ConfigureAwait(false);
        var batch = new List<Sample>();
        uint seq = 0;
        long sent = 0;
        for (DateTime t = start; t < end; t += step)
        {
            double noise = 0.03 * Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble());
            var reading = new Reading
            {
                SalinityPpt = Math.Max(0, site.Salinity(t, p) + noise),
                WaterTempC = site.WaterTemp(t),
                LevelM = site.Level(t) + (0.005 * (random.NextDouble() - 0.5)),
                AirPressureHpa = SiteModel.AirPressure(t),
                AirTempC = site.AirTemp(t),
                HumidityPct = SiteModel.Humidity(t),
            };
            batch.Add(new Sample(boot, ++seq, new DateTimeOffset(t).ToUnixTimeSeconds(), true, reading));
            if (batch.Count == 40 || t + step >= end)
            {
                byte[] payload = TelemetryEncoder.Encode(p.Id, [.. batch], 4.0, -60, Topics.MaxPayloadBytes, out int included);
                MqttClientPublishResult r = await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(Topics.Telemetry(p.Id)).WithPayload(payload)
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), ct).ConfigureAwait(false);
                if (!r.IsSuccess || included != batch.Count)
                {
                    throw new InvalidOperationException($"the gateway refused {p.Id}'s history: {r.ReasonCode} {r.ReasonString}");
                }

                sent += batch.Count;
                batch.Clear();
            }
        }

        await client.DisconnectAsync(cancellationToken: ct).ConfigureAwait(false);
        return sent;
    }
}
