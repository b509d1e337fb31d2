using EdgeSensors.Bench;

string which = args.Length > 0 ? args[0] : "bridge"; // the default mode: the gateway against the Mosquitto bridge (issue 12)
switch (which)
{
    case "group-commit":
        await GroupCommitBench.RunAsync(nodes: args.Length > 1 ? int.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 100, duration: TimeSpan.FromSeconds(5));
        return 0;
    case "bridge":
    case "crash":
        {
            int Arg(string name, int fallback)
            {
                int i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length && int.TryParse(args[i + 1], System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out int v) && v >= 0 ? v : fallback;
            }

            int kills = which == "crash" ? Arg("--kills", 4) : 0;
            int ri = Array.IndexOf(args, "--results");
            string? results = ri >= 0 && ri + 1 < args.Length ? args[ri + 1] : null;
            return await BridgeBench.RunAsync(Arg("--nodes", 50), Arg("--readings", 1000), kills, results, plain: args.Contains("--plain"));
        }

    case "drain":
        {
            int i = Array.IndexOf(args, "--readings");
            int n = Array.IndexOf(args, "--nodes");
            int ri = Array.IndexOf(args, "--results");
            return await DrainBench.RunAsync(
                n >= 0 && n + 1 < args.Length ? int.Parse(args[n + 1], System.Globalization.CultureInfo.InvariantCulture) : 50,
                i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : 1_000_000,
                ri >= 0 && ri + 1 < args.Length ? args[ri + 1] : null);
        }

    case "scale":
        {
            int Opt(string name, int fallback)
            {
                int i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            }

            int ri = Array.IndexOf(args, "--results");
            return await ScaleBench.RunAsync(Opt("--connections", 10_000), Opt("--nodes", 1000), Opt("--seconds", 60), ri >= 0 && ri + 1 < args.Length ? args[ri + 1] : null);
        }

    case "ioc-cluster":
        {
            int Opt(string name, int fallback)
            {
                int i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            }

            int ri = Array.IndexOf(args, "--results");
            return await IocClusterBench.RunAsync(Opt("--nodes", 60), Opt("--seconds", 60), Opt("--ingest", 3), ri >= 0 && ri + 1 < args.Length ? args[ri + 1] : null);
        }

    case "floor":
        return await FloorBench.RunAsync(BenchTable.Option(args, "--clients", 50), BenchTable.Option(args, "--messages", 2000), BenchTable.Results(args));

    case "floor-server":
        return await FloorBench.ServeAsync(args[1], int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture), args[3], args[4]);

    case "ingest-ceiling":
        return await IngestCeilingBench.RunAsync(BenchTable.Option(args, "--readings", 300_000), BenchTable.Option(args, "--per-message", 50), BenchTable.Results(args));

    case "page":
        return await PageBench.RunAsync(BenchTable.Option(args, "--stations", 36), BenchTable.Option(args, "--loads", 5), BenchTable.Results(args));

    case "sta":
        return await StaLatencyBench.RunAsync(BenchTable.Option(args, "--repeats", 30), BenchTable.Results(args));

    case "lead-time":
        {
            int Opt(string name, int fallback)
            {
                int i = Array.IndexOf(args, name);
                return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], System.Globalization.CultureInfo.InvariantCulture) : fallback;
            }

            int ri = Array.IndexOf(args, "--results");
            return LeadTimeBench.Run(Opt("--weeks", 9), Opt("--stations", 8), ri >= 0 && ri + 1 < args.Length ? args[ri + 1] : null);
        }

    case "micro":
        BenchmarkDotNet.Running.BenchmarkRunner.Run<HotPathBenchmarks>(BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance).AddJob(BenchmarkDotNet.Jobs.Job.ShortRun));
        BenchmarkDotNet.Running.BenchmarkRunner.Run<IngestDecodeBenchmarks>(BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance).AddJob(BenchmarkDotNet.Jobs.Job.ShortRun));
        return 0;

    case "hot":
        // One or some of the hot-path benchmarks: `-- hot --filter "*NoteMarks*"` (BenchmarkDotNet's own options).
        BenchmarkDotNet.Running.BenchmarkSwitcher.FromTypes([typeof(HotPathBenchmarks)]).Run(args[1..], BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance).AddJob(BenchmarkDotNet.Jobs.Job.ShortRun));
        return 0;

    case "ingest-decode":
        BenchmarkDotNet.Running.BenchmarkRunner.Run<IngestDecodeBenchmarks>(BenchmarkDotNet.Configs.ManualConfig.Create(BenchmarkDotNet.Configs.DefaultConfig.Instance).AddJob(BenchmarkDotNet.Jobs.Job.ShortRun));
        return 0;

    default:
        Console.Error.WriteLine($"unknown benchmark '{which}'. Known: group-commit, bridge, crash, drain, scale, ioc-cluster, lead-time, ingest-decode, micro, hot, floor, ingest-ceiling, sta, page");
        return 1;
}
