using System.Diagnostics;
using System.Globalization;
using System.Text;
using EdgeSensors.Gateway.Tests.Fixtures;
using EdgeSensors.Ioc.Ingest.Decoding;
using EdgeSensors.Ioc.Ingest.Store;
using Npgsql;
using NpgsqlTypes;
using RabbitMQ.Client;

namespace EdgeSensors.Bench;

/// <summary>
/// Issue 32, the ingest's ceiling: a RabbitMQ quorum queue pre-filled with gateways' messages, drained into PostgreSQL
/// by 1 and then 3 ingest processes (readings/s from the first to the last row's ingested_at); beside them, in the same
/// run and on the same PostgreSQL, the same rows written by the store's own statement with no broker (one writer), and
/// by COPY into tables of the same shape (the database's floor).
/// </summary>
public static class IngestCeilingBench
{
    private static readonly CultureInfo C = CultureInfo.InvariantCulture;
    private const string Site = "hg-bench";
    private const int Nodes = 50;

    public static async Task<int> RunAsync(int readings, int perMessage, string? results)
    {
        var clock = Stopwatch.StartNew();
        void Say(string text) => Console.WriteLine($"[{clock.Elapsed.TotalSeconds,6:0.0} s] {text}");
        int messages = readings / perMessage;
        readings = messages * perMessage;
        long t0 = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 86_400;

        await using var pg = new PostgresServer();
        await using var rabbit = new RabbitMqBroker();
        Say("starting PostgreSQL and RabbitMQ …");
        await Task.WhenAll(pg.StartAsync(), rabbit.StartAsync());
        var settings = new Dictionary<string, string>
        {
            ["Ingest:Source"] = "rabbitmq",
            ["Ingest:RabbitMq:Host"] = "127.0.0.1",
            ["Ingest:RabbitMq:Port"] = rabbit.AmqpPort.ToString(C),
            ["Ingest:Store:Kind"] = "postgres",
            ["Ingest:Store:PostgresConnectionString"] = pg.ConnectionString,
            ["Logging:LogLevel:Default"] = "Warning",
        };

        // One start declares the quorum queue, its bindings and the schema.
        await using (var declare = new IngestProcess("ceiling-declare", settings))
        {
            await declare.StartAsync();
            await WaitAsync(async () => (await declare.GetAsync("/health")).GetProperty("source").GetProperty("state").GetString() == "connected", "the queue declared");
        }

        var rows = new List<string>();
        foreach (int instances in new[] { 1, 3 })
        {
            await pg.SqlAsync("TRUNCATE reading_ids, readings, stations, duplicates");
            Say($"publishing {messages:N0} messages × {perMessage} readings into the quorum queue …");
            await PublishAsync(rabbit.AmqpPort, messages, perMessage, t0);
            var procs = Enumerable.Range(1, instances).Select(i => new IngestProcess($"ceiling-{instances}-{i}", settings)).ToList();
            var wall = Stopwatch.StartNew();
            await Task.WhenAll(procs.Select(p => p.StartAsync()));
            await WaitAsync(async () => long.Parse(await pg.SqlAsync("SELECT COUNT(*) FROM reading_ids"), C) >= readings, $"{readings:N0} readings in PostgreSQL", TimeSpan.FromMinutes(15));
            double wallSeconds = wall.Elapsed.TotalSeconds;
            string[] f = (await pg.SqlAsync("SELECT COUNT(*), EXTRACT(EPOCH FROM MAX(ingested_at) - MIN(ingested_at)) FROM readings")).Split('|');
            double span = double.Parse(f[1], C);
            double rate = long.Parse(f[0], C) / Math.Max(span, 1e-3);
            Say($"{instances} ingest instance(s): {long.Parse(f[0], C):N0} readings in {span:0.0} s of commits = {rate:N0}/s ({wallSeconds:0.0} s from the processes' start)");
            rows.Add(string.Create(C, $"| ingest × {instances} (RabbitMQ quorum queue → PostgreSQL, {perMessage} readings a message) | {rate:N0} | {span:0.0} s |"));
            foreach (IngestProcess p in procs)
            {
                await p.DisposeAsync();
            }
        }

        // The store's own statement without a broker: one writer, batches as the ingest makes them (200 messages).
        await pg.SqlAsync("TRUNCATE reading_ids, readings, stations, duplicates");
        var batches = new List<List<DecodedMessage>>();
        var decoded = Enumerable.Range(0, messages).Select(m => new DecodedMessage(Rows(m, perMessage, t0).ToList(), null, null, null)).ToList();
        for (int i = 0; i < decoded.Count; i += 200)
        {
            batches.Add(decoded.GetRange(i, Math.Min(200, decoded.Count - i)));
        }

        await using (var store = new PostgresIngestStore(pg.ConnectionString))
        {
            await store.InitializeAsync(CancellationToken.None);
            await store.CommitAsync(batches[0], "warm-up", CancellationToken.None);
            await pg.SqlAsync("TRUNCATE reading_ids, readings, stations, duplicates");
            var sw = Stopwatch.StartNew();
            foreach (List<DecodedMessage> b in batches)
            {
                await store.CommitAsync(b, "bench", CancellationToken.None);
            }

            double s = sw.Elapsed.TotalSeconds;
            Say($"the store's unnest statement, no broker, one writer: {readings / s:N0}/s");
            rows.Add(string.Create(C, $"| the store's statement alone (unnest into reading_ids + readings, one writer, no broker) | {readings / s:N0} | {s:0.0} s |"));
        }

        // COPY into tables of the same shape (keys and index included): what PostgreSQL itself takes.
        await pg.SqlAsync("""
            DROP TABLE IF EXISTS copy_ids, copy_readings;
            CREATE TABLE copy_ids (site text NOT NULL, node text NOT NULL, boot bigint NOT NULL, seq bigint NOT NULL, PRIMARY KEY (site, node, boot, seq));
            CREATE TABLE copy_readings (LIKE readings INCLUDING DEFAULTS) PARTITION BY RANGE (ts);
            CREATE TABLE copy_readings_all PARTITION OF copy_readings FOR VALUES FROM ('2000-01-01') TO ('2100-01-01');
            CREATE INDEX ON copy_readings (site, node, ts);
            """);
        await using (NpgsqlDataSource source = NpgsqlDataSource.Create(pg.ConnectionString))
        {
            var sw = Stopwatch.StartNew();
            await using NpgsqlConnection db = await source.OpenConnectionAsync();
            await using NpgsqlTransaction tx = await db.BeginTransactionAsync();
            await using (NpgsqlBinaryImporter ids = await db.BeginBinaryImportAsync("COPY copy_ids FROM STDIN (FORMAT BINARY)"))
            {
                foreach (ReadingRow r in decoded.SelectMany(m => m.Readings))
                {
                    await ids.WriteRowAsync(default, r.Site, r.Node, r.Boot, r.Seq);
                }

                await ids.CompleteAsync();
            }

            await using (NpgsqlBinaryImporter w = await db.BeginBinaryImportAsync("COPY copy_readings (site, node, boot, seq, ts, rx, sync, q, node_ts, fields) FROM STDIN (FORMAT BINARY)"))
            {
                foreach (ReadingRow r in decoded.SelectMany(m => m.Readings))
                {
                    await w.StartRowAsync();
                    await w.WriteAsync(r.Site);
                    await w.WriteAsync(r.Node);
                    await w.WriteAsync(r.Boot);
                    await w.WriteAsync(r.Seq);
                    await w.WriteAsync(DateTimeOffset.FromUnixTimeSeconds(r.Ts).UtcDateTime, NpgsqlDbType.TimestampTz);
                    await w.WriteAsync(DateTimeOffset.FromUnixTimeSeconds(r.Rx).UtcDateTime, NpgsqlDbType.TimestampTz);
                    await w.WriteAsync(r.Sync);
                    await w.WriteAsync(r.Quality);
                    await w.WriteNullAsync();
                    await w.WriteAsync(r.Fields, NpgsqlDbType.Jsonb);
                }

                await w.CompleteAsync();
            }

            await tx.CommitAsync();
            double s = sw.Elapsed.TotalSeconds;
            Say($"COPY (binary) of the same rows into tables of the same shape: {readings / s:N0}/s");
            rows.Add(string.Create(C, $"| COPY (binary) of the same rows into tables of the same shape, one transaction | {readings / s:N0} | {s:0.0} s |"));
        }

        await BenchTable.WriteAsync($"{DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {readings:N0} readings from {Nodes} nodes, PostgreSQL 15 and RabbitMQ on this machine",
            "| writer | readings/s | time |", rows, results);
        return 0;
    }

    private static IEnumerable<ReadingRow> Rows(int message, int perMessage, long t0)
    {
        string node = $"n-{message % Nodes:D3}";
        int round = message / Nodes;
        for (int i = 0; i < perMessage; i++)
        {
            long seq = (long)round * perMessage + i + 1;
            long ts = t0 + seq;
            yield return new ReadingRow(Site, node, 1, seq, ts, ts + 1, true, "good", null,
                string.Create(C, $"{{\"salinity_ppt\":{0.1 + seq % 70 / 10.0},\"ec_ms_cm\":1.9,\"water_temp_c\":29.5,\"level_m\":1.21,\"air_pressure_hpa\":1009.1,\"air_temp_c\":31,\"humidity_pct\":74}}"));
        }
    }

    private static async Task PublishAsync(int amqpPort, int messages, int perMessage, long t0)
    {
        var factory = new ConnectionFactory { HostName = "127.0.0.1", Port = amqpPort };
        await using IConnection connection = await factory.CreateConnectionAsync();
        await using IChannel channel = await connection.CreateChannelAsync(new CreateChannelOptions(publisherConfirmationsEnabled: true, publisherConfirmationTrackingEnabled: true));
        var props = new BasicProperties { DeliveryMode = DeliveryModes.Persistent };
        for (int m = 0; m < messages; m++)
        {
            List<ReadingRow> rows = Rows(m, perMessage, t0).ToList();
            var sb = new StringBuilder(64 + perMessage * 200);
            sb.Append(C, $"{{\"v\":1,\"site\":\"{Site}\",\"node\":\"{rows[0].Node}\",\"readings\":[");
            for (int i = 0; i < rows.Count; i++)
            {
                ReadingRow r = rows[i];
                sb.Append(i == 0 ? "" : ",").Append(C, $"{{\"boot\":{r.Boot},\"seq\":{r.Seq},\"ts\":{r.Ts},\"rx\":{r.Rx},\"sync\":true,\"q\":\"good\",\"r\":{r.Fields}}}");
            }

            sb.Append("]}");
            await channel.BasicPublishAsync("amq.topic", $"ioc.{Site}.{rows[0].Node}.telemetry", mandatory: true, props, Encoding.UTF8.GetBytes(sb.ToString()));
        }
    }

    private static async Task WaitAsync(Func<Task<bool>> done, string what, TimeSpan? timeout = null)
    {
        DateTime until = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(60));
        while (DateTime.UtcNow < until)
        {
            try
            {
                if (await done())
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("waited in vain for " + what);
    }
}
