using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using CsCheck;
using EdgeSensors.Gateway.Ingest;
using EdgeSensors.Gateway.Tests.Fixtures;
using Json.Schema;
using MQTTnet;

namespace EdgeSensors.Fuzz;

/// <summary>What a fuzz run found.</summary>
public sealed record FuzzReport(
    string Where, long Tried, long Accepted, long Refused, long Crashes, long AcceptedAgainstSchema, long ReadingsWrong,
    long Disconnects, long ExpectedStored, long Stored, double Seconds, IReadOnlyList<string> Examples)
{
    public bool Clean => Crashes == 0 && AcceptedAgainstSchema == 0 && ReadingsWrong == 0 && Disconnects == 0 && ExpectedStored == Stored;

    public override string ToString() =>
        $"{Where}: {Tried:N0} payloads in {Seconds:F1} s ({Tried / Math.Max(Seconds, 0.001):N0}/s): {Accepted:N0} accepted, {Refused:N0} refused with a reason; " +
        $"{Crashes} crashes, {AcceptedAgainstSchema} accepted against the schema, {ReadingsWrong} parsed into readings other than the document's" +
        (Where.StartsWith("mqtt", StringComparison.Ordinal) ? $", {Disconnects} connections lost, readings stored {Stored:N0} of {ExpectedStored:N0} expected" : string.Empty);
}

/// <summary>
/// Drives generated and mutated telemetry through the gateway's parser in process, and at a running gateway over
/// MQTT. The oracle is the protocol's JSON Schema (docs/schemas/telemetry.schema.json): whatever the parser accepts
/// must be schema-valid, and its readings must be the document's samples; nothing may throw.
/// </summary>
public static class TelemetryFuzz
{
    private static readonly Lazy<(JsonSchema Schema, EvaluationOptions Options)> Schema = new(() =>
    {
        var options = new EvaluationOptions();
        JsonSchema? target = null;
        foreach (string f in Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Docs", "schemas"), "*.schema.json"))
        {
            JsonSchema s = JsonSchema.FromText(File.ReadAllText(f));
            options.SchemaRegistry.Register(s);
            if (f.EndsWith("telemetry.schema.json", StringComparison.Ordinal))
            {
                target = s;
            }
        }

        return (target ?? throw new FileNotFoundException("docs/schemas/telemetry.schema.json is not beside the fuzzer"), options);
    });

    public static bool SchemaAccepts(byte[] payload)
    {
        try
        {
            using JsonDocument doc = JsonDocument.Parse(payload);
            return Schema.Value.Schema.Evaluate(doc.RootElement, Schema.Value.Options).IsValid;
        }
        catch (Exception ex) when (ex is JsonException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>Runs <paramref name="count"/> payloads through the parser in this process.</summary>
    public static FuzzReport RunInProcess(long count, string? seed = null, int threads = -1)
    {
        long accepted = 0, refused = 0, crashes = 0, againstSchema = 0, wrong = 0;
        var examples = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        TelemetryGen.Payload.Sample(payload =>
        {
            switch (Check(payload, out string? why))
            {
                case Outcome.Accepted: Interlocked.Increment(ref accepted); break;
                case Outcome.Refused: Interlocked.Increment(ref refused); break;
                case Outcome.Crash: Interlocked.Increment(ref crashes); Keep(examples, why!, payload); break;
                case Outcome.AgainstSchema: Interlocked.Increment(ref againstSchema); Keep(examples, why!, payload); break;
                default: Interlocked.Increment(ref wrong); Keep(examples, why!, payload); break;
            }
        }, seed: seed, iter: count, threads: threads);
        return new FuzzReport("in process", count, accepted, refused, crashes, againstSchema, wrong, 0, 0, 0, clock.Elapsed.TotalSeconds, [.. examples]);
    }

    private enum Outcome
    {
        Accepted,
        Refused,
        Crash,
        AgainstSchema,
        WrongReadings,
    }

    private static Outcome Check(byte[] payload, out string? why)
    {
        TelemetryParseResult r;
        try
        {
            r = TelemetryParser.Parse(TelemetryGen.Node, payload, 1_764_500_000);
        }
        catch (Exception ex)
        {
            why = "crash: " + ex.GetType().Name + ": " + ex.Message;
            return Outcome.Crash;
        }

        if (!r.Ok)
        {
            why = null;
            return string.IsNullOrWhiteSpace(r.Error) ? Outcome.WrongReadings : Outcome.Refused;
        }

        if (!SchemaAccepts(payload))
        {
            why = "accepted although the schema refuses it";
            return Outcome.AgainstSchema;
        }

        // The readings are the document's samples, in order, with its boot.
        using JsonDocument doc = JsonDocument.Parse(payload);
        JsonElement samples = doc.RootElement.GetProperty("samples");
        uint boot = doc.RootElement.GetProperty("boot").GetUInt32();
        if (samples.GetArrayLength() != r.Readings.Count)
        {
            why = $"{r.Readings.Count} readings from {samples.GetArrayLength()} samples";
            return Outcome.WrongReadings;
        }

        int i = 0;
        foreach (JsonElement s in samples.EnumerateArray())
        {
            var x = r.Readings[i++];
            if (x.Boot != boot || x.Seq != s.GetProperty("seq").GetUInt32() || x.Node != TelemetryGen.Node)
            {
                why = $"reading {i} has boot {x.Boot} seq {x.Seq}";
                return Outcome.WrongReadings;
            }
        }

        why = null;
        return Outcome.Accepted;
    }

    private static void Keep(ConcurrentQueue<string> examples, string why, byte[] payload)
    {
        if (examples.Count < 5)
        {
            examples.Enqueue(why + ": " + Encoding.UTF8.GetString(payload[..Math.Min(payload.Length, 300)]));
        }
    }

    /// <summary>
    /// Publishes <paramref name="count"/> payloads at a running gateway as the registered node
    /// <see cref="TelemetryGen.Node"/>, QoS 1. Each is accepted exactly when the parser accepts it in process; no
    /// payload costs the node its connection; the gateway stores exactly the new (boot, seq) of the accepted ones.
    /// </summary>
    public static async Task<FuzzReport> RunOverMqttAsync(GatewayProcess gateway, string secret, int count, string? seed = null, Action<string>? progress = null)
    {
        // The payloads, generated first (CsCheck drives the generator; the network part runs after).
        var payloads = new List<byte[]>(count);
        TelemetryGen.Payload.Sample(p =>
        {
            lock (payloads)
            {
                payloads.Add(p);
            }
        }, seed: seed, iter: count, threads: 1);

        double storedBefore = await gateway.MetricAsync("edgesensors_readings_stored_total");
        await using var node = new TestNode(TelemetryGen.Node, secret);
        if (!(await node.ConnectAsync(gateway.MqttPort)).Ok)
        {
            throw new InvalidOperationException("the fuzz node could not connect to the gateway");
        }

        long accepted = 0, refused = 0, disagree = 0, disconnects = 0, crashes = 0;
        var expected = new HashSet<(uint, uint)>();
        var examples = new ConcurrentQueue<string>();
        var clock = Stopwatch.StartNew();
        for (int i = 0; i < payloads.Count; i++)
        {
            byte[] p = payloads[i];
            TelemetryParseResult local = TelemetryParser.Parse(TelemetryGen.Node, p, DateTimeOffset.UtcNow.ToUnixTimeSeconds());
            bool fits = p.Length <= EdgeSensors.Node.Protocol.Topics.MaxPayloadBytes;
            MqttClientPublishResult result;
            try
            {
                result = await node.PublishRawAsync(EdgeSensors.Node.Protocol.Topics.Telemetry(TelemetryGen.Node), p);
            }
            catch (Exception ex) when (ex is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
            {
                disconnects++;
                Keep(examples, "connection lost: " + ex.Message, p);
                if (gateway.ExitCode != null)
                {
                    crashes++;
                    break;
                }

                try
                {
                    await node.DisconnectAsync();
                }
                catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException or InvalidOperationException)
                {
                }

                await node.ConnectAsync(gateway.MqttPort);
                continue;
            }

            bool ok = result.IsSuccess;
            if (ok)
            {
                accepted++;
                foreach (var r in local.Readings)
                {
                    expected.Add((r.Boot, r.Seq));
                }
            }
            else
            {
                refused++;
            }

            if (ok != (local.Ok && fits))
            {
                disagree++;
                Keep(examples, $"gateway said {result.ReasonCode}, the parser in process {(local.Ok ? "accepts" : "refuses")}", p);
            }

            if ((i + 1) % 1000 == 0)
            {
                progress?.Invoke($"  over MQTT: {i + 1:N0} of {count:N0}");
            }
        }

        double stored = await gateway.MetricAsync("edgesensors_readings_stored_total") - storedBefore;
        return new FuzzReport("mqtt at a running gateway", payloads.Count, accepted, refused, crashes + (gateway.ExitCode != null ? 1 : 0), 0, disagree,
            disconnects, expected.Count, (long)stored, clock.Elapsed.TotalSeconds, [.. examples]);
    }
}
