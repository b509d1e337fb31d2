using System.Globalization;
using EdgeSensors.Fuzz;
using EdgeSensors.Gateway.Tests.Fixtures;

// The telemetry fuzzer (issue 15, scope 8). One command:
//   dotnet run -c Release --project tests/EdgeSensors.Fuzz -- [--payloads 1000000] [--mqtt 10000] [--seed S]
// It starts its own gateway (the Debug or Release build beside it, embedded defaults, a temporary folder) for the
// MQTT part. Exit code 0: no crash, nothing accepted against the schema, every answer over MQTT the parser's, no
// connection lost, exactly the expected readings stored. 1 otherwise; 2 for bad arguments.
long payloads = 1_000_000;
int mqtt = 10_000;
string? seed = null;
for (int i = 0; i < args.Length; i++)
{
    string next = i + 1 < args.Length ? args[i + 1] : string.Empty;
    switch (args[i])
    {
        case "--payloads" when long.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out long p) && p > 0:
            payloads = p;
            i++;
            break;
        case "--mqtt" when int.TryParse(next, NumberStyles.None, CultureInfo.InvariantCulture, out int m) && m >= 0:
            mqtt = m;
            i++;
            break;
        case "--seed" when next.Length > 0:
            seed = next;
            i++;
            break;
        default:
            Console.Error.WriteLine($"unknown or incomplete argument \"{args[i]}\"; usage: [--payloads N] [--mqtt N] [--seed S]");
            return 2;
    }
}

Console.WriteLine($"telemetry fuzz, {DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC, {Environment.ProcessorCount} cores");
FuzzReport inProcess = TelemetryFuzz.RunInProcess(payloads, seed);
Console.WriteLine(inProcess);
foreach (string e in inProcess.Examples)
{
    Console.WriteLine("  e.g. " + e);
}

bool clean = inProcess.Clean;
if (mqtt > 0)
{
    using var dir = new TempDir();
    await using var gateway = new GatewayProcess(dir.Path);
    await gateway.StartAsync();
    string secret = await gateway.RegisterNodeAsync(TelemetryGen.Node);
    FuzzReport overMqtt = await TelemetryFuzz.RunOverMqttAsync(gateway, secret, mqtt, seed, Console.WriteLine);
    Console.WriteLine(overMqtt);
    foreach (string e in overMqtt.Examples)
    {
        Console.WriteLine("  e.g. " + e);
    }

    clean &= overMqtt.Clean;
}

Console.WriteLine(clean ? "clean" : "FOUND PROBLEMS");
return clean ? 0 : 1;
